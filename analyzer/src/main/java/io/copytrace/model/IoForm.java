// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/** The shape of a read or write call. Order is the wire contract with {@code Codes.FORM_*}. */
public enum IoForm {
    NONE("none"),
    SINGLE("single"),
    POSITIONAL("positional"),
    SCATTER("scatter"),
    GATHER("gather"),
    SINGLE_BYTE("single-byte");

    private final String wireName;

    IoForm(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in recordings. */
    public String wireName() {
        return wireName;
    }
}
