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
 * Url forms refused before anything is looked up or sent. Credentials in a url would go out neither as basic auth nor
 * kept secret (urls are logged and shown), and a rendered url can still carry them when a template supplied the host.
 * An IPv4 address written as one number, in octal or in hex means different hosts to different parsers.
 */
class RefusedUrlFormsTest {

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

    @ParameterizedTest
    @ValueSource(strings = {"https://0177.0.0.1/", "https://0177.0.0.2/", "https://0x7f000001/", "https://0x7f.0.0.1/",
            "https://2130706433/", "https://127.1/", "https://0/", "https://010.0.0.1/", "https://1.2.3.4.5/",
            "https://0xa9fea9fe/", "https://169.254.169.0254/"})
    void shouldRefuseIpv4AddressesWrittenOtherThanInDottedDecimalWithoutLookingThemUp(String url) {
        // The guard's resolver here knows no such names, so a refusal (not "DNS lookup failed") proves none was looked
        // up. java.net.URI finds no host at all in some forms (127.1, 1.2.3.4.5), which is refused as well.
        String reason = refusal(check(guard(), url));
        assertTrue(reason.contains("dotted decimal") || reason.contains("no valid host"), url + ": " + reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "hooks.example.com", "1.example.com", "cafe.de", "0x.example.com"})
    void shouldNotMistakeNamesOrDottedDecimalForOddNumbers(String host) {
        assertFalse(DestinationGuard.isNumberButNotDottedDecimal(host), host);
    }
}
