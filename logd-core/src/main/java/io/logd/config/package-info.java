/**
 * Configuration: {@link io.logd.config.LogdConfig} (records) and {@link io.logd.config.ConfigLoader},
 * which layers the embedded {@code logd.yaml} defaults, a user file, {@code LOGD_*} environment
 * variables and command-line overrides, and names the key in every error.
 *
 * <p>May depend on {@code io.logd.ingest} for value enums only.
 */
package io.logd.config;
