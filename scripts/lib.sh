# Shared by the scripts in this folder: repository paths, the Spark JVM flags, building on demand.
# shellcheck shell=bash

NIGHTSHIFT_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The JVM flags Spark 4.1 needs on Java 17 (../shared/STACK.md); the parent pom carries the same list for tests.
SPARK_JVM_FLAGS=(
  -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true
)

JOBS_JAR_GLOB="$NIGHTSHIFT_HOME/jobs/target/nightshift-jobs-*-submit.jar"

# Builds the jars (skipping tests) when they are missing or older than any source, pom or resource.
ensure_built() {
  local jar
  jar=$(ls $JOBS_JAR_GLOB 2>/dev/null | head -n 1 || true)
  if [[ -n "$jar" && -d "$NIGHTSHIFT_HOME/jobs/target/lib" ]]; then
    if [[ -z "$(find "$NIGHTSHIFT_HOME/pom.xml" "$NIGHTSHIFT_HOME/models" "$NIGHTSHIFT_HOME/jobs" \
          \( -name target -prune \) -o \( -type f -newer "$jar" -print \) | head -n 1)" ]]; then
      return 0
    fi
  fi
  echo "nightshift: building (first run downloads Spark and Iceberg, ~370 MB, once)..." >&2
  (cd "$NIGHTSHIFT_HOME" && mvn -B -q package -DskipTests) >&2
}

jobs_jar() {
  ls $JOBS_JAR_GLOB | head -n 1
}
