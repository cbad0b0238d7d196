package io.hookflow.delivery.replay;

import io.hookflow.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Starting, reading and cancelling an organisation's replay jobs; {@link ReplayRunner} does the work. */
@ApplicationScoped
public class ReplayJobs {

    static final String ID_PREFIX = "rpl_";

    private final ReplayJobRepository jobs;
    private final SecureRandom random = new SecureRandom();

    ReplayJobs(ReplayJobRepository jobs) {
        this.jobs = jobs;
    }

    @Transactional
    public ReplayJob start(String orgId, ReplayRequest request, Instant now) {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        ReplayJob job = new ReplayJob(ID_PREFIX + HexFormat.of().formatHex(bytes), request.filter(),
                request.ratePerSecond(), ReplayJob.RUNNING, 0, 0, null, now, now, null);
        jobs.insert(orgId, job);
        return job;
    }

    /** @throws ApiException 404 when the organisation has no such job */
    @Transactional
    public ReplayJob get(String orgId, String id) {
        return jobs.find(orgId, id).map(ReplayJobRepository.Stored::job)
                .orElseThrow(() -> ApiException.notFound("no replay job " + id));
    }

    @Transactional
    public List<ReplayJob> list(String orgId, Instant afterCreatedAt, String afterId, int limit) {
        return jobs.list(orgId, afterCreatedAt, afterId, limit);
    }

    /**
     * Stops a running job: once this commits, it re-queues nothing more (a batch under way either committed before, and
     * is counted, or sees the job canceled). What it queued already stays queued.
     *
     * @throws ApiException 404 for no such job, 409 for one that has finished
     */
    @Transactional
    public ReplayJob cancel(String orgId, String id, Instant now) {
        ReplayJobRepository.Stored stored = jobs.lock(orgId, id)
                .orElseThrow(() -> ApiException.notFound("no replay job " + id));
        if (!ReplayJob.RUNNING.equals(stored.job().status())) {
            throw ApiException.conflict("replay job " + id + " is " + stored.job().status() + " already");
        }
        jobs.finish(id, ReplayJob.CANCELED, null, now);
        return get(orgId, id);
    }
}
