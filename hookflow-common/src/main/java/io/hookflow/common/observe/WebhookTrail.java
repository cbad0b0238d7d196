package io.hookflow.common.observe;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The ids that tie a log line to one webhook, in the logging MDC ({@code orgId}, {@code triggerInstanceId},
 * {@code executionId}, and {@code traceId} and {@code spanId} when the line is inside a trace), and one DEBUG line per
 * step of the webhook's way (received, enforced, attempted) under the category {@code io.hookflow.common.observe}.
 *
 * <p>The services set the ids where they take up a webhook: ingest per request, rules per trigger instance of a batch,
 * delivery per attempt recorded. Only ids and outcomes are logged here, never a payload, header, credential or
 * signature: a log line is read by more people than the execution it describes.
 */
public final class WebhookTrail {

    public static final String ORG_ID = "orgId";
    public static final String TRIGGER_INSTANCE_ID = "triggerInstanceId";
    public static final String EXECUTION_ID = "executionId";
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private static final Logger LOG = Logger.getLogger(WebhookTrail.class);

    private WebhookTrail() {
    }

    /** The lines that follow on this thread (or request) are about this trigger instance. */
    public static void about(String orgId, String triggerInstanceId) {
        about(orgId, triggerInstanceId, null);
    }

    /** The lines that follow are about this execution of the trigger instance; null ids are left out. */
    public static void about(String orgId, String triggerInstanceId, String executionId) {
        put(ORG_ID, orgId);
        put(TRIGGER_INSTANCE_ID, triggerInstanceId);
        put(EXECUTION_ID, executionId);
    }

    /** The trace the lines that follow belong to (W3C ids, hex); null or invalid ids are left out. */
    public static void inTrace(String traceId, String spanId) {
        put(TRACE_ID, traceId);
        put(SPAN_ID, spanId);
    }

    /** The lines that follow are about no webhook in particular (a batch line, the next record). */
    public static void clear() {
        MDC.remove(ORG_ID);
        MDC.remove(TRIGGER_INSTANCE_ID);
        MDC.remove(EXECUTION_ID);
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
    }

    /** ingest: the webhook was accepted (the broker has its trigger event). */
    public static void accepted(String trigger) {
        LOG.debugf("Webhook accepted as trigger %s", trigger);
    }

    /** rules: the trigger instance was evaluated; {@code status} as recorded (processed, no rule matched, ...). */
    public static void enforced(String status) {
        LOG.debugf("Trigger instance enforced: %s", status);
    }

    /** delivery: an attempt was recorded; the HTTP status (null without a response) and the verdict. */
    public static void attempted(int attempt, Integer httpStatus, String verdict) {
        LOG.debugf("Attempt %d recorded: %s, %s", attempt, httpStatus == null ? "no response" : "HTTP " + httpStatus,
                verdict);
    }

    public static boolean enabled() {
        return LOG.isDebugEnabled();
    }

    private static void put(String key, String value) {
        if (value == null || value.isEmpty()) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
