// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

/** A class the class-loading scenario loads from a directory of its own. */
public final class Loaded {
    private Loaded() {}
}
