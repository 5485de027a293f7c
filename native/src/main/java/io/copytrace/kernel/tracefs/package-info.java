// SPDX-License-Identifier: Apache-2.0
/** Plain-Java access to tracefs: tracepoint ids and format files. Internal to copytrace. */
package io.copytrace.kernel.tracefs;
