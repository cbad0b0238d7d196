package io.hookflow.delivery.signing;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public keys receivers verify {@code v1a} signatures with, as a JSON Web Key Set (RFC 7517 / 8037). Open to
 * anyone, as GitHub's and other senders' key endpoints are: a public key lets nobody sign.
 */
@Path("/.well-known/hookflow/signing-keys")
@Tag(name = "Signing keys")
public class PublicKeysResource {

    /** Receivers may cache the set this long; the rotation overlap (24 h by default) is far longer. */
    static final int MAX_AGE_SECONDS = 300;

    private final SigningKeys keys;

    PublicKeysResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Path("/{org}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The organisation's Ed25519 public keys (no authentication)",
            description = "A JWK Set: {\"keys\": [{\"kid\", \"kty\": \"OKP\", \"crv\": \"Ed25519\", \"alg\": \"EdDSA\","
                    + " \"use\": \"sig\", \"x\": base64url, \"whpk\": \"whpk_...\", \"status\", \"exp\"}]}, active and"
                    + " retiring keys only, newest first. A request's webhook-signature holds one v1a entry per key"
                    + " listed here. An organisation without keys has an empty set. Cacheable for 5 minutes.")
    public Response keys(@PathParam("org") String org) {
        List<Jwk> jwks = keys.publicKeys(org).stream().map(PublicKeysResource::jwk).toList();
        return Response.ok(new JwkSet(jwks)).header("Cache-Control", "public, max-age=" + MAX_AGE_SECONDS).build();
    }

    private static Jwk jwk(SigningKey key) {
        byte[] raw = Base64.getDecoder().decode(key.publicKey().substring(SigningKeys.PUBLIC_KEY_PREFIX.length()));
        return new Jwk(key.id(), "OKP", "Ed25519", "EdDSA", "sig",
                Base64.getUrlEncoder().withoutPadding().encodeToString(raw), key.publicKey(), key.status(),
                key.expiresAt() == null ? null : key.expiresAt().getEpochSecond(), key.createdAt());
    }

    @RegisterForReflection
    public record JwkSet(List<Jwk> keys) {
    }

    /**
     * One key as a JWK; {@code whpk}, {@code status}, {@code exp} (Unix seconds it stops signing) and
     * {@code created} are ours, which JWK readers ignore.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Jwk(String kid, String kty, String crv, String alg, String use, String x, String whpk, String status,
                      Long exp, Instant created) {
    }
}
