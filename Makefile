# SPDX-License-Identifier: Apache-2.0
# copytrace: `make` builds dist/copytrace.jar, `make test` runs every test (JDK 17 and Temurin 25),
# `make demo` runs a sample under the agent and prints what it found.
MVN ?= mvn -B -q
JDK25 ?= /usr/lib/jvm/temurin-25-jdk-amd64
JAR := dist/copytrace.jar
DEMO_OUT := copytrace-report

.PHONY: all build test demo clean

all: build

build: $(JAR)

$(JAR): $(shell find pom.xml agent analyzer native samples -name '*.java' -o -name 'pom.xml' 2>/dev/null)
	$(MVN) -DskipTests package
	mkdir -p dist
	cp agent/target/copytrace.jar $(JAR)

test:
	$(MVN) verify
	mkdir -p dist
	cp agent/target/copytrace.jar $(JAR)

demo: $(JAR)
	rm -rf $(DEMO_OUT)
	java -javaagent:$(JAR)=out=$(DEMO_OUT) -cp samples/target/copytrace-samples.jar io.copytrace.samples.Demo
	java -jar $(JAR) summary $$(ls $(DEMO_OUT)/recording-*.json | head -1)
	@echo "recording: $$(ls $(DEMO_OUT)/recording-*.json | head -1)"

clean:
	$(MVN) clean
	rm -rf dist $(DEMO_OUT)
