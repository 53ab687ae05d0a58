# shellcheck shell=bash
# Finds a JDK 25 and exports JAVA_HOME and BASALT_ROOT. Sourced by every launcher.
#
# Order: $JAVA_HOME if it is a JDK 25 or newer, then the usual JVM folders (Debian/Ubuntu,
# RHEL, SDKMAN, macOS). Where none is found it prints one line saying what to install.

BASALT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export BASALT_ROOT
BASALT_MIN_JDK=25

# Prints the feature version (e.g. 25) of the JDK in folder $1, or nothing.
basalt_jdk_version() {
  local home="$1" release="$1/release" v
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  else
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "$v"
}

basalt_find_jdk() {
  local candidate v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(basalt_jdk_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$BASALT_MIN_JDK" ]; then
      export JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk* \
                   "$HOME"/.sdkman/candidates/java/* \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] || continue
    v=$(basalt_jdk_version "$candidate")
    if [ -n "$v" ] && [ "$v" -ge "$BASALT_MIN_JDK" ]; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      return 0
    fi
  done
  echo "basalt: no JDK ${BASALT_MIN_JDK} found (looked at \$JAVA_HOME and /usr/lib/jvm): install Temurin ${BASALT_MIN_JDK} (https://adoptium.net, package temurin-${BASALT_MIN_JDK}-jdk) or set JAVA_HOME to a JDK ${BASALT_MIN_JDK}." >&2
  return 1
}

# JVM flags for Basalt processes (the node, the CLI, the simulator). FFM needs native access
# for libsodium; Chronicle's analytics stay off. Chronicle Map on JDK 25 needs the opens/exports
# on the second line: it compiles its header classes with javac at run time (java.lang,
# java.lang.reflect, javac.file), maps files through FileChannelImpl (sun.nio.ch) and unmaps
# buffers through the JDK's cleaner (jdk.internal.ref).
BASALT_JVM_OPTS=(--add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Dchronicle.analytics.disable=true -XX:+UseZGC
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED)

# The git revision for basalt_build_info (docs/metrics.md): short hash, "-dirty" when the tree differs.
basalt_revision() {
  (cd "$BASALT_ROOT" && git describe --always --dirty --abbrev=12 2>/dev/null) || echo unknown
}

# Builds the reactor when any source or build file is newer than the last build, then sets
# BASALT_CLASSPATH for module $1 (its classes plus the runtime classpath Maven wrote).
basalt_build_if_needed() {
  local module="$1" stamp="$BASALT_ROOT/$1/target/.basalt-build-stamp" newer
  if [ -f "$stamp" ] && [ -f "$BASALT_ROOT/$module/target/basalt.classpath" ]; then
    newer=$(cd "$BASALT_ROOT" && find . -path ./.git -prune -o -path '*/target' -prune -o \
      \( -path '*/src/main/*' -o -name 'pom.xml' \) -type f -newer "$stamp" -print -quit)
  else
    newer="(no build yet)"
  fi
  if [ -n "$newer" ]; then
    echo "basalt: building ($newer is newer than the last build)..." >&2
    (cd "$BASALT_ROOT" && ./mvnw -B -q -ntp -DskipTests -Dbasalt.revision="$(basalt_revision)" -pl "$module" -am package >&2) || {
      echo "basalt: build failed; run ./mvnw -pl $module -am package to see why" >&2
      return 1
    }
    touch "$stamp"
  fi
  BASALT_CLASSPATH="$BASALT_ROOT/$module/target/classes:$(cat "$BASALT_ROOT/$module/target/basalt.classpath")"
  export BASALT_CLASSPATH
}
