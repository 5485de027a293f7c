// SPDX-License-Identifier: Apache-2.0
/**
 * The JNA layer: {@code perf_event_open}, its ioctls and ring buffers. One interface per C header
 * ({@link io.copytrace.kernel.perf.Unistd}, {@link io.copytrace.kernel.perf.Ioctl},
 * {@link io.copytrace.kernel.perf.Mman}); everything else here is Java over them. Internal to
 * copytrace; not a stable API.
 */
package io.copytrace.kernel.perf;
