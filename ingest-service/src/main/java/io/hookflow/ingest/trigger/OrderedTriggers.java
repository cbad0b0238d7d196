package io.hookflow.ingest.trigger;

/**
 * Which triggers some enabled rule delivers in ordered lanes (learnt from {@code rule-changes}): their events are keyed
 * by trigger so they keep their order through one partition; every other event is keyed by its own id and spreads over
 * all partitions and rules replicas.
 */
public interface OrderedTriggers {

    /** True when an enabled rule of the organisation on this trigger type has an ordering key. */
    boolean ordered(String orgId, String triggerType);
}
