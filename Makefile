# SPDX-License-Identifier: Apache-2.0
# copytrace: `make` builds dist/copytrace.jar, `make test` runs every test (JDK 17 and Temurin 25),
# `make demo` runs the log-broker sample under the agent and prints what it found.
MVN ?= mvn -B -q
JDK25 ?= /usr/lib/jvm/temurin-25-jdk-amd64
JAR := dist/copytrace.jar
DEMO_OUT := copytrace-report

.PHONY: all build test demo bench bench-samples bench-windows clean

all: build

build: $(JAR)

$(JAR): $(shell find pom.xml agent analyzer native samples -name '*.java' -o -name 'pom.xml' 2>/dev/null)
	$(MVN) -DskipTests package
	mkdir -p dist
	cp agent/target/copytrace.jar $(JAR)

test:
	mvn -B verify
	mkdir -p dist
	cp agent/target/copytrace.jar $(JAR)

# The demo: sample 9 (a Kafka-like log broker) under the agent, then the HTML, Markdown and JSON reports
# next to the recording in $(DEMO_OUT)/, and a short summary of the findings on the terminal. The agent
# reads the kernel's view from /proc (the default: no root, no cost per call).
DEMO_MAIN := io.copytrace.samples.Sample09LogBroker
DEMO_ARGS ?= --mib=64
SAMPLES_CP := samples/target/classes
TOOLS_CP := samples/target/classes:analyzer/target/classes

demo: $(JAR)
	rm -rf $(DEMO_OUT)
	java -javaagent:$(JAR)=out=$(DEMO_OUT) -cp $(SAMPLES_CP) $(DEMO_MAIN) $(DEMO_ARGS)
	@rec=$$(ls $(DEMO_OUT)/recording-*.json | head -1); base=$${rec%.json}; \
	java -jar $(JAR) report $$rec --format json --out $$base.report.json >/dev/null && \
	cost=$$(java -cp $(TOOLS_CP) io.copytrace.samples.tools.ReportDigest --cost $$base.report.json) && \
	java -jar $(JAR) report $$rec --format html --out $$base.report.html $$cost >/dev/null && \
	java -jar $(JAR) report $$rec --format md --out $$base.report.md $$cost >/dev/null && \
	java -cp $(TOOLS_CP) io.copytrace.samples.tools.ReportDigest $$base.report.json $$rec $$base.report.html && \
	echo "Markdown: $$base.report.md  JSON: $$base.report.json  recording: $$rec"

# The predicted saving, checked: each sample's copy-heavy and fixed variants in alternating JVMs without the agent,
# the receiver in another process (in a network namespace over veth when root), the sending JVM's CPU beside the
# saving the copytrace report predicted (as root with perf: the sender's CPU less the NET_RX softirq, which runs the
# receiver's TCP stack; cubic on the veth routes, no pacing timers); writes docs/bench/before-after-jdkN.md.
# ~14 minutes per JDK; see docs/samples.md.
# BENCH_ARGS="--java=$(JDK25)" for JDK 25.
BENCH_ARGS ?=
bench-samples: $(JAR)
	java -cp $(TOOLS_CP) io.copytrace.samples.tools.BeforeAfterBenchmark --jar=$(JAR) $(BENCH_ARGS)

# The overhead benchmark (issue 7): writes docs/bench/results.md and results.json. Takes ~50 minutes (each JVM runs 14 s);
# run it on an otherwise idle machine.
bench: $(JAR)
	java -cp samples/target/copytrace-samples.jar io.copytrace.bench.Bench --jar $(JAR) --out docs/bench

# Windows opened again (issue 16): a service's throughput and RSS before the first attach, during a window and
# after 20 attach/stop cycles; writes docs/bench/windows.md and windows.json. Takes ~5 minutes.
bench-windows: $(JAR)
	java -cp samples/target/copytrace-samples.jar io.copytrace.bench.WindowsBench --jar $(JAR) --out docs/bench

clean:
	$(MVN) clean
	rm -rf dist $(DEMO_OUT)
