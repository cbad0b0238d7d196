package io.hookflow.delivery.attempt;

import io.hookflow.delivery.observe.AttemptTraces;
import io.hookflow.delivery.http.HttpResult;

import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.destination.Destination;
import io.hookflow.delivery.destination.DestinationGuard;
import io.hookflow.delivery.secret.RequestSecrets;
import io.hookflow.delivery.signing.RequestSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * One send of a stored request, as every delivery and every test delivery makes it: open the secrets, sign, check the
 * destination (whitelists, SSRF), send to the checked address. Never fails: every problem becomes an {@link HttpResult}.
 */
@ApplicationScoped
public class SendAttempt {

    private final RequestSecrets secrets;
    private final RequestSigner signer;
    private final DestinationGuard guard;
    private final HttpSender sender;
    private final Vertx vertx;

    SendAttempt(RequestSecrets secrets, RequestSigner signer, DestinationGuard guard, HttpSender sender, Vertx vertx) {
        this.secrets = secrets;
        this.signer = signer;
        this.guard = guard;
        this.sender = sender;
        this.vertx = vertx;
    }

    /**
     * @param orgId     whose signing keys a {@code signing-keys:} secret names
     * @param stored    the request with its password and secret still encrypted
     * @param messageId the {@code webhook-id} the receiver sees
     */
    public Future<Sent> run(String orgId, OutboundRequest stored, UUID messageId, Instant startedAt) {
        RequestSigner signer = this.signer.forOrg(orgId);
        // Decryption, signing and DNS may block: they run on a worker thread, the send itself on the event loop.
        return vertx.executeBlocking(() -> prepare(signer, stored, messageId, startedAt), false)
                .compose(prepared -> prepared.destination() instanceof Destination.Allowed allowed
                        ? sender.send(prepared.request(), allowed).map(result -> new Sent(prepared.request(), result))
                        : Future.succeededFuture(new Sent(prepared.request(), prepared.withoutSending())))
                .recover(failure -> Future.succeededFuture(new Sent(
                        PreparedRequest.of(RequestSecrets.withoutSecrets(stored), messageId, signer, startedAt),
                        HttpResult.error("request failed: " + failure, 0))));
    }

    private Prepared prepare(RequestSigner signer, OutboundRequest stored, UUID messageId, Instant startedAt) {
        PreparedRequest prepared;
        try {
            // Opened here and only in memory: the plaintext lives as long as this attempt.
            prepared = PreparedRequest.of(secrets.opened(stored), messageId, signer, startedAt);
            AttemptTraces.addTraceparent(messageId, prepared.headers());
        } catch (IllegalArgumentException unusableSecret) {
            return new Prepared(PreparedRequest.of(RequestSecrets.withoutSecrets(stored), messageId, signer, startedAt),
                    new Destination.Refused(unusableSecret.getMessage()));
        }
        return new Prepared(prepared, guard.check(prepared.method(), prepared.url()));
    }

    /** The request as sent (or as it would have been), and what came of it. */
    public record Sent(PreparedRequest request, HttpResult result) {
    }

    /** A request ready to go, and where the guard says it may (or may not) go. */
    private record Prepared(PreparedRequest request, Destination destination) {

        /** The result of an attempt the guard stopped before it was sent. */
        HttpResult withoutSending() {
            if (destination instanceof Destination.Refused refused) {
                return HttpResult.refused(refused.reason());
            }
            return HttpResult.error(((Destination.Unresolved) destination).error(), 0);
        }
    }
}
