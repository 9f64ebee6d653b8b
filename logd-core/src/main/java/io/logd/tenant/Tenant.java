package io.logd.tenant;

import java.time.Instant;

/** A tenant: the id is what keys, events and indexes carry; the name is what people use. */
public record Tenant(int id, String name, Instant created) {}
