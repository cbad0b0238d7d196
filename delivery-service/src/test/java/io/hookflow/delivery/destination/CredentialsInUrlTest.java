package io.hookflow.delivery.destination;

import static io.hookflow.delivery.destination.DestinationGuardTest.check;
import static io.hookflow.delivery.destination.DestinationGuardTest.guard;
import static io.hookflow.delivery.destination.DestinationGuardTest.refusal;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.http.Urls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A url that carries credentials is never sent: they would go out neither as basic auth nor kept secret (urls are
 * logged and shown), and a rendered url can still carry them when a template supplied the host.
 */
class CredentialsInUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://u:s3cr3t@hooks.example.com/", "https://u@hooks.example.com/",
            "https://u:s3%40cr3t@hooks.example.com/x?y=1", "https://:s3cr3t@hooks.example.com/"})
    void shouldRefuseAUrlWithCredentialsWithoutEchoingThem(String url) {
        String reason = refusal(check(guard(), url));
        assertTrue(reason.contains("username and password"), reason);
        assertFalse(reason.contains("s3cr3t") || reason.contains("s3%40"), reason);
        assertTrue(Urls.hasUserInfo(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/a@b", "https://hooks.example.com/?mail=a@b.c",
            "https://hooks.example.com/#x@y"})
    void shouldAcceptAnAtSignOutsideTheAuthority(String url) {
        assertInstanceOf(Destination.Allowed.class, check(guard(), url));
        assertFalse(Urls.hasUserInfo(url));
    }
}
