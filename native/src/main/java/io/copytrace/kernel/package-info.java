// SPDX-License-Identifier: Apache-2.0
/**
 * What the kernel saw the process do during a recording window: {@link io.copytrace.kernel.KernelMonitor}
 * starts and stops it, {@link io.copytrace.kernel.KernelWindow} holds the result as a JSON-ready
 * tree. Syscall counts come from perf tracepoints (JNA, {@code perf} subpackage) or, when the
 * kernel refuses, from /proc ({@code proc} subpackage) with the reason. See docs/kernel-counters.md.
 */
package io.copytrace.kernel;
