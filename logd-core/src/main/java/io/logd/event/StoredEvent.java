package io.logd.event;

/** An event as read back from the store: its tenant, its ID and the event itself. */
public record StoredEvent(int tenant, EventId id, LogEvent event) {}
