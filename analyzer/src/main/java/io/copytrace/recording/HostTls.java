// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

/**
 * Whether the recorded host could run kernel TLS, as the agent saw it: the {@code tls} module loaded
 * ({@code /sys/module/tls}) and {@code /proc/net/tls_stat} present. Null fields: not recorded.
 */
public record HostTls(Boolean moduleLoaded, Boolean tlsStat) {}
