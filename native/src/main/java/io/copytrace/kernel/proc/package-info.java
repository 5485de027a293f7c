// SPDX-License-Identifier: Apache-2.0
/**
 * Plain-Java readers of {@code /proc} and {@code /sys}: no native code, so they work where perf is
 * refused and are tested on fixture files. Internal to copytrace; not a stable API.
 */
package io.copytrace.kernel.proc;
