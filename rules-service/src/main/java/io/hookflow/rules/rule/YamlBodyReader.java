package io.hookflow.rules.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hookflow.common.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/** Reads a YAML body (a StackStorm rule file as written in its docs) into the same tree a JSON body gives. */
@Provider
@Consumes({YamlBodyReader.APPLICATION_YAML, "application/x-yaml", "text/yaml"})
public class YamlBodyReader implements MessageBodyReader<JsonNode> {

    public static final String APPLICATION_YAML = "application/yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public JsonNode readFrom(Class<JsonNode> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                             MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        try {
            JsonNode tree = YAML.readTree(body);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw ApiException.badRequest("the YAML body is empty; a rule is expected");
            }
            return tree;
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw ApiException.badRequest("malformed YAML: " + e.getOriginalMessage()
                    + (location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr()));
        }
    }
}
