package io.hookflow.k8scheck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay and component renders with `kubectl kustomize`, and every object it renders is valid. */
class ManifestsValidateTest {

    private static final ManifestValidator VALIDATOR = new ManifestValidator();

    static List<Rendering.Case> cases() {
        return Rendering.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRenderObjectsThatAreAllValid(Rendering.Case renderCase) {
        List<ObjectNode> objects = Rendering.objects(renderCase);
        assertFalse(objects.isEmpty(), renderCase + " rendered nothing");
        String problems = objects.stream()
                .flatMap(o -> VALIDATOR.problems(o).stream().map(p -> "  " + ManifestValidator.describe(o) + ": " + p))
                .collect(Collectors.joining("\n"));
        if (!problems.isEmpty()) {
            fail(renderCase + " renders invalid objects:\n" + problems);
        }
    }
}
