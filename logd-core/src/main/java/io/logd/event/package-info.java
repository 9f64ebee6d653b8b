/**
 * The log event model: {@link io.logd.event.LogEvent} and its value types.
 *
 * <p>Everything here is an immutable value with no dependency on storage, indexing or I/O, so every
 * other package may depend on it.
 */
package io.logd.event;
