# Operator image without Jib (Jib is configured in operator/pom.xml: `mvn -pl operator -am package jib:build`).
#
# This Dockerfile does not compile anything: build the jar and its runtime dependencies first, then
# the image (a multi-stage Maven build would need the network inside `docker build`):
#
#   mvn -B -pl operator -am package dependency:copy-dependencies -DincludeScope=runtime -DskipTests
#   docker build -t maas-security-operator:0.1.0 .
#
# Only operator/target/maas-security-operator-*.jar (main classes, no test classes: Maven never
# packages src/test, so the test doubles in io.maasops.security.testing.* cannot end up here) and
# operator/target/dependency/ (runtime scope: no mock server, helm-java or other test libraries)
# are sent to the build; see .dockerignore.
#
# Base: eclipse-temurin:17-jre. gcr.io/distroless/java17-debian12:nonroot also works (no shell);
# keep the same ENTRYPOINT. A release pins it by digest (as the Maven release profile requires for Jib):
#   docker build --build-arg BASE_IMAGE=eclipse-temurin:17-jre@sha256:<digest> ...
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

WORKDIR /app
COPY operator/target/dependency/ /app/lib/
COPY operator/target/maas-security-operator-*.jar /app/lib/

# Non-root, 65532:65532; the chart runs as this user unless securityContext.runAsUser/runAsGroup say
# otherwise (on OpenShift leave them null: the restricted-v2 SCC assigns a UID from the project's
# range, with GID 0, and the operator writes nothing outside its /tmp emptyDir). The root filesystem
# can be read-only. The SBOM of what goes into /app/lib is operator/target/*.cdx.json (CycloneDX,
# written at `package` by an online build; an offline build skips it).
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.maasops.security.bootstrap.OperatorMain"]
