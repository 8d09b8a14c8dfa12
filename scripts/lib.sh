# Shared by the scripts in this folder: repository paths, the Spark JVM flags, building on demand.
# shellcheck shell=bash

NIGHTSHIFT_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The JVM flags Spark 4.1 needs on Java 17 (../shared/STACK.md); the parent pom carries the same list for tests
# (without the JIT flag below: a test's small queries gain nothing from compiling huge methods).
# -XX:-DontCompileHugeMethods: Spark's generated code for a wide filter or aggregation is often over the JIT's
# 8,000-byte method limit and would run interpreted (README, Benchmarks).
# -XX:MetaspaceSize=256m: Spark, Iceberg and Hadoop load about 170 MB of class metadata; from the default threshold
# up, the JVM grew it by five full collections during start-up (0.5 s of a 10M-row night).
SPARK_JVM_FLAGS=(
  -XX:+IgnoreUnrecognizedVMOptions -XX:-DontCompileHugeMethods -XX:MetaspaceSize=256m
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true
)

# Heap flags for a local JVM with a heap of MEMORY (java's -Xmx syntax: 12g, 12288m), one per line. A heap of 8 GiB
# or more is sized for a night that fills it with the day's cached rows, so it is committed and touched at start
# (-Xms = -Xmx, AlwaysPreTouch; huge pages where the kernel offers them on request): on the benchmark's VM, memory
# touched for the first time cost the garbage collector more kernel time than copying did (README, Benchmarks: "The
# heap up front"). A fixed heap also fixes the old generation, which holds that cache: a fifth of the heap for the
# young one (NewRatio=4) keeps the old one out of back-to-back full collections. Smaller heaps (a laptop, the sample
# lake, the tests' children) get none: touching a heap the run will not fill costs start-up time.
night_heap_flags() {
  local memory="$1" number unit mib
  [[ "$memory" =~ ^([0-9]+)([kKmMgGtT]?)$ ]] || return 0
  number="${BASH_REMATCH[1]}"
  unit="${BASH_REMATCH[2],,}"
  case "$unit" in
    t) mib=$((number * 1024 * 1024)) ;;
    g) mib=$((number * 1024)) ;;
    m) mib=$number ;;
    k) mib=$((number / 1024)) ;;
    *) mib=$((number / 1024 / 1024)) ;;
  esac
  ((mib >= 8192)) || return 0
  printf '%s\n' "-Xms$memory" -XX:NewRatio=4 -XX:+AlwaysPreTouch
  if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
    printf '%s\n' -XX:+UseTransparentHugePages
  fi
}

# JVM flags for a command that reads a few rows or files and answers at once, without Spark (incident list and show,
# evidence verify, tables, rules list and check: ARGS are the command line), one per line; nothing for any other
# command. Such a JVM lives a second or two: the JIT's quick tier only (C2 compiles nothing it would use in time;
# measured, the default tiers took twice the CPU time and the interpreter alone four times), and the serial collector
# (no parallel GC threads to start for a heap it hardly uses). Then the command's class-data archive
# (quick_archive_flags).
night_quick_flags() {
  case "${1:-} ${2:-}" in
    "incident list" | "incident show" | "evidence verify" | "rules list" | "rules check" | "tables "*) ;;
    *) return 0 ;;
  esac
  printf '%s\n' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
  if [[ "$1" == tables ]]; then
    quick_archive_flags tables
  else
    quick_archive_flags "$1-$2"
  fi
}

# Class-data sharing for a quick command (an archive per command: NAME is incident-list, incident-show, tables, ...):
# the classes its first run loaded (about 6,000 for incident show, from Iceberg, Hadoop, Jackson, Log4j, beyond the
# JDK's own archive) are mapped from jobs/target/class-archives/NAME.jsa, already parsed and verified, instead of being
# read again from 200-odd jars; it took incident list from 2.8 s to 1.5 s of CPU. While the archive is missing or
# older than the jars, the flags write it when the JVM exits (that run takes a few seconds longer, once after each
# build) to NAME.jsa.PID, which scripts/nightshift then renames into place. The JVM's own messages go to stderr, never into a command's output, and
# its messages about the archive are left out (an archive that does not fit, e.g. after a JDK update, is ignored).
# With NIGHTSHIFT_CLASS_ARCHIVE=off: none.
quick_archive_flags() {
  local name="$1" archive
  [[ "${NIGHTSHIFT_CLASS_ARCHIVE:-on}" != off ]] || return 0
  archive="$JOBS_TARGET/class-archives/$name.jsa"
  printf '%s\n' -Xlog:disable -Xlog:all=warning:stderr '-Xlog:cds*=error:stderr'
  if [[ -f "$archive" && "$archive" -nt "$(jobs_jar)" \
        && -z "$(find "$JOBS_TARGET/lib" -newer "$archive" -print -quit 2>/dev/null)" ]]; then
    printf '%s\n' "-XX:SharedArchiveFile=$archive"
  else
    mkdir -p "$JOBS_TARGET/class-archives"
    printf '%s\n' "-XX:ArchiveClassesAtExit=$archive.$$"
  fi
}

JOBS_JAR_GLOB="$NIGHTSHIFT_HOME/jobs/target/nightshift-jobs-*-submit.jar"

JOBS_TARGET="$NIGHTSHIFT_HOME/jobs/target"
# Written by the build (jobs/pom.xml): file names in jobs/target/lib of the jars a Spark distribution brings, and
# of the provided jars it does not bring, which spark-submit ships with --jars.
SPARK_DISTRIBUTION_LIST="$JOBS_TARGET/classpath/spark-distribution.txt"
SUBMIT_JARS_LIST="$JOBS_TARGET/classpath/submit-jars.txt"

# The build's modules, as the root pom lists them (models, the tools, jobs).
build_modules() {
  sed -n 's:^ *<module>\(.*\)</module>.*:\1:p' "$NIGHTSHIFT_HOME/pom.xml"
}

# The jar MODULE's build made (MODULE/target/nightshift-MODULE-*.jar: not the -submit or -tests one). With --quiet,
# no message when there is none.
module_jar() {
  local quiet=false jar
  if [[ "$1" == --quiet ]]; then
    quiet=true
    shift
  fi
  jar=$(ls "$NIGHTSHIFT_HOME/$1/target/nightshift-$1-"*.jar 2>/dev/null \
    | grep -v -e '-submit\.jar$' -e '-tests\.jar$' | head -n 1 || true)
  if [[ -z "$jar" ]]; then
    $quiet || echo "nightshift: $1/target holds no jar; build first: mvn -B package -DskipTests" >&2
    return 1
  fi
  printf '%s\n' "$jar"
}

# Builds every module's jar (skipping tests) when one is missing or older than any source, pom or resource of any
# module. The submit jar marks the last build: the shade plugin writes it anew on every package, where a module's
# plain jar keeps its old time when nothing in it changed. With NIGHTSHIFT_NO_BUILD=1 (set by tests that Maven itself
# runs after packaging, and by scripts/bench for its children) it only checks that the jobs jar exists.
ensure_built() {
  local jar module missing=false
  jar=$(ls $JOBS_JAR_GLOB 2>/dev/null | head -n 1 || true)
  if [[ "${NIGHTSHIFT_NO_BUILD:-}" == 1 ]]; then
    if [[ -z "$jar" || ! -f "$SUBMIT_JARS_LIST" || ! -f "$SPARK_DISTRIBUTION_LIST" ]]; then
      echo "nightshift: NIGHTSHIFT_NO_BUILD=1 but the jobs jar or jobs/target/classpath/ is missing;" \
        "build first: mvn -B package -DskipTests" >&2
      return 1
    fi
    return 0
  fi
  local -a modules
  mapfile -t modules < <(build_modules)
  for module in "${modules[@]}"; do
    module_jar --quiet "$module" > /dev/null || missing=true
  done
  if [[ -n "$jar" && "$missing" == false && -d "$NIGHTSHIFT_HOME/jobs/target/lib" && -f "$SUBMIT_JARS_LIST" ]]; then
    if [[ -z "$(cd "$NIGHTSHIFT_HOME" && find pom.xml "${modules[@]}" \
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

# The classpath of the lake generator (scripts/nightshift generate): its jar and jobs/target/lib, which has every
# jar the jobs and the tools share (Spark, picocli, the YAML parser). The generator does not need the jobs jar.
lakegen_classpath() {
  local lakegen
  lakegen=$(module_jar lakegen) || return 1
  printf '%s\n' "$lakegen:$JOBS_TARGET/lib/*"
}

# The classpath of the benchmark and of what it starts: the bench, jobs and lakegen jars, the jars only the
# benchmark needs (bench/target/lib) and jobs/target/lib.
tools_classpath() {
  local bench jobs lakegen
  bench=$(module_jar bench) || return 1
  jobs=$(jobs_jar) || return 1
  lakegen=$(module_jar lakegen) || return 1
  printf '%s\n' "$bench:$jobs:$lakegen:$NIGHTSHIFT_HOME/bench/target/lib/*:$JOBS_TARGET/lib/*"
}

# Jars listed in a build-written classpath file (lib/a.jar:lib/b.jar), as absolute paths, one per line.
listed_jars() {
  local entry
  local -a entries
  IFS=: read -r -a entries < "$1" || true   # the file has no final newline
  for entry in "${entries[@]}"; do
    [[ -n "$entry" ]] && printf '%s\n' "$JOBS_TARGET/$entry"
  done
}

# A SPARK_HOME made of the project's own jars (jobs/target/spark-home): jars/ holds links to the jars a Spark
# distribution brings, and nothing else (no Iceberg, no picocli), so that what runs on it needs what a real
# cluster needs. RELEASE marks it as a distribution for Spark's launcher. Rebuilt when the build's list changes.
project_spark_home() {
  local home="$JOBS_TARGET/spark-home" tmp jar
  if [[ ! -f "$home/RELEASE" || "$SPARK_DISTRIBUTION_LIST" -nt "$home/RELEASE" ]]; then
    tmp=$(mktemp -d "$JOBS_TARGET/spark-home.XXXXXX")
    mkdir "$tmp/jars"
    while IFS= read -r jar; do
      [[ -f "$jar" ]] || { echo "nightshift: $jar is missing; rebuild: mvn -B package -DskipTests" >&2; return 1; }
      ln -s "$jar" "$tmp/jars/"
    done < <(listed_jars "$SPARK_DISTRIBUTION_LIST")
    echo "Spark from the Nightshift build's own jars (scripts/lib.sh project_spark_home)" > "$tmp/RELEASE"
    chmod 755 "$tmp"
    rm -rf "$home"
    mv "$tmp" "$home"
  fi
  printf '%s\n' "$home"
}

# Fills SPARK_CMD with the java command line Spark's own launcher builds for CLASS and ARGS (what bin/spark-class
# does: heap, module flags, SPARK_*_OPTS, spark.driver.* settings), for the SPARK_HOME in the environment.
spark_command() {
  local record status
  local -a records=()
  # The launcher prints its messages, a NUL and a newline, then the command with a NUL after each word; the
  # launcher's own exit status is appended as the last record.
  while IFS= read -r -d '' record; do
    records+=("$record")
  done < <(java -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"; printf '%d\0' $?)
  status="${records[-1]}"
  if [[ ${#records[@]} -gt 1 && -n "${records[0]}" ]]; then
    printf '%s' "${records[0]}" >&2
  fi
  if [[ "$status" != 0 || ${#records[@]} -lt 3 ]]; then
    echo "nightshift: Spark's launcher could not build the command for $1 (exit $status)" >&2
    return 1
  fi
  SPARK_CMD=("${records[@]:1:${#records[@]}-2}")
  SPARK_CMD[0]="${SPARK_CMD[0]#$'\n'}"
}

# The loopback standalone cluster of scripts/cluster-up and cluster-down: its pid files, logs and master URL.
CLUSTER_DIR="${NIGHTSHIFT_CLUSTER_DIR:-$NIGHTSHIFT_HOME/target/cluster}"

# True when PID is a running Spark master or worker (not merely a reused pid, not a zombie).
spark_daemon_alive() {
  local pid="$1" args
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  args=$(ps -o args= -p "$pid" 2>/dev/null) || return 1
  [[ "$args" == *org.apache.spark.deploy.master.Master* || "$args" == *org.apache.spark.deploy.worker.Worker* ]]
}

# Stops the daemons whose pid files are in CLUSTER_DIR, workers first, each by its own pid: TERM, and KILL after
# 30 seconds. Removes the pid files; safe to call when nothing runs.
cluster_stop() {
  local pidfile pid name waited
  for pidfile in "$CLUSTER_DIR"/worker-*.pid "$CLUSTER_DIR"/master.pid; do
    [[ -f "$pidfile" ]] || continue
    name=$(basename "$pidfile" .pid)
    pid=$(< "$pidfile")
    if spark_daemon_alive "$pid"; then
      kill -TERM "$pid" 2> /dev/null || true
      waited=0
      while spark_daemon_alive "$pid" && ((waited < 60)); do
        sleep 0.5
        waited=$((waited + 1))
      done
      if spark_daemon_alive "$pid"; then
        kill -KILL "$pid" 2> /dev/null || true
        echo "cluster: $name (pid $pid) did not stop within 30 s; killed it" >&2
      else
        echo "cluster: stopped $name (pid $pid)" >&2
      fi
    fi
    rm -f "$pidfile"
  done
  rm -f "$CLUSTER_DIR/master-url"
}
