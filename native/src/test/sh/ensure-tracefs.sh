#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Mounts tracefs for the perf integration tests when it is missing and we are root.
# copytrace itself never mounts anything: without tracefs it falls back to /proc and says so.
[ -d /sys/kernel/tracing/events/syscalls ] && exit 0
[ "$(id -u)" = 0 ] || { echo "tracefs not mounted and not root: perf ITs will fail"; exit 0; }
mount -t tracefs nodev /sys/kernel/tracing && echo "mounted tracefs at /sys/kernel/tracing"
exit 0
