# shellcheck shell=bash
# program_jar: target/memcached-gke.jar, built first when it is missing or older than the sources (the scripts that
# run the program's tools use it: scripts/impact.sh, scripts/resize.sh, scripts/try.sh).
program_jar() {
  local jar=target/memcached-gke.jar
  if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml policies/shared -newer "$jar" -print -quit)" ]; then
    echo "building $jar (./mvnw -B -q package -DskipTests)" >&2
    ./mvnw -B -q package -DskipTests >&2 || { echo "the build failed: ./mvnw -B package -DskipTests" >&2; return 1; }
  fi
  printf '%s\n' "$jar"
}
