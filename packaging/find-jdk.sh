# shellcheck shell=bash
#
# Finds a JDK 21 or newer and makes it the one in use: exports JAVA_HOME (and its major
# version as LOGD_JAVA_MAJOR) and puts $JAVA_HOME/bin first on PATH. Meant to be sourced by logd's scripts:
#
#     source packaging/find-jdk.sh || exit 1
#
# Candidates, in order: $JAVA_HOME, the `java` on PATH, then every /usr/lib/jvm/*
# (newest version first). Each candidate's real version comes from running its
# `java -version`, never from its name. A candidate must also have `javac`, because
# the launcher and the tests build with Maven; set LOGD_JRE_OK=1 to accept a bare
# runtime (the launcher does so when logd.jar is already up to date).
#
# When nothing fits, it says which candidates it checked and what they were, and
# returns non-zero. LOGD_JVM_DIR replaces /usr/lib/jvm (used by tests of this script).
# Safe under `set -euo pipefail`.

LOGD_MIN_JAVA=21

# Prints the major version of the given java binary (8 for "1.8.0_292", 21 for
# "21.0.2", 25 for "25-ea"), or nothing when it does not run.
logd_java_major() {
  local out line ver
  out=$("$1" -version 2>&1) || return 0
  # The first line may be "Picked up JAVA_TOOL_OPTIONS: ...", so look for the version line.
  line=$(printf '%s\n' "$out" | grep -m1 -E 'version "[^"]+"') || return 0
  ver=${line#*version \"}
  ver=${ver%%\"*}
  if [[ $ver == 1.* ]]; then
    ver=${ver#1.}
  fi
  ver=${ver%%[!0-9]*}
  [[ -n $ver ]] && printf '%s\n' "$ver"
  return 0
}

# The JDK home for a java binary: the directory above the real bin/java.
logd_java_home_of() {
  local real
  real=$(readlink -f -- "$1" 2>/dev/null || printf '%s' "$1")
  dirname -- "$(dirname -- "$real")"
}

logd_find_jdk() {
  # kinds: "explicit" candidates (JAVA_HOME, PATH) win as soon as one qualifies; the
  # "ranked" ones (the JVM directory) are all probed and the newest version wins.
  local checked=() seen=" " candidates=() labels=() kinds=() c label home real major desc
  local best_home="" best_major=0 i

  if [[ -n ${JAVA_HOME:-} ]]; then
    candidates+=("$JAVA_HOME/bin/java"); labels+=("JAVA_HOME=$JAVA_HOME"); kinds+=(explicit)
  else
    checked+=("JAVA_HOME: not set")
  fi
  if c=$(command -v java 2>/dev/null) && [[ -n $c ]]; then
    candidates+=("$c"); labels+=("java on PATH ($c)"); kinds+=(explicit)
  else
    checked+=("java on PATH: none")
  fi
  local jvm_dir=${LOGD_JVM_DIR:-/usr/lib/jvm} found_in_dir=0
  if [[ -d $jvm_dir ]]; then
    for c in "$jvm_dir"/*/bin/java; do
      [[ -e $c ]] || continue
      candidates+=("$c"); labels+=("${c%/bin/java}"); kinds+=(ranked)
      found_in_dir=1
    done
  fi
  (( found_in_dir )) || checked+=("$jvm_dir/*: no Java installations")

  for i in "${!candidates[@]}"; do
    c=${candidates[$i]}
    label=${labels[$i]}
    if [[ ! -x $c ]]; then
      checked+=("$label: no runnable bin/java")
      continue
    fi
    real=$(readlink -f -- "$c" 2>/dev/null || printf '%s' "$c")
    if [[ $seen == *" $real "* ]]; then
      # The same JDK reached another way (alternatives, symlinked directories).
      checked+=("$label: the same Java as above")
      continue
    fi
    seen+="$real "
    home=$(logd_java_home_of "$c")
    major=$(logd_java_major "$c")
    if [[ -z $major ]]; then
      checked+=("$label: \`java -version\` failed or printed no version")
      continue
    fi
    desc="$label: Java $major"
    [[ ${kinds[$i]} == explicit && $label != "JAVA_HOME=$home" ]] && desc="$label: Java $major at $home"
    if (( major < LOGD_MIN_JAVA )); then
      checked+=("$desc (too old)")
      continue
    fi
    if [[ ! -x $home/bin/javac && ${LOGD_JRE_OK:-0} != 1 ]]; then
      checked+=("$desc, but no javac in $home/bin (a runtime, not a JDK)")
      continue
    fi
    if [[ ${kinds[$i]} == explicit ]]; then
      best_home=$home; best_major=$major
      break
    fi
    if (( major > best_major )); then
      best_home=$home; best_major=$major
    fi
  done

  if [[ -z $best_home ]]; then
    {
      echo "logd: no JDK ${LOGD_MIN_JAVA} or newer found."
      echo "  Checked:"
      printf '    %s\n' "${checked[@]}"
      echo "logd needs JDK ${LOGD_MIN_JAVA} or newer. Install one (for example Eclipse Temurin 21 or 25)"
      echo "and point JAVA_HOME at it, or put its bin/ first on PATH."
    } >&2
    return 1
  fi

  export JAVA_HOME=$best_home
  export LOGD_JAVA_MAJOR=$best_major
  case ":$PATH:" in
    ":$JAVA_HOME/bin:"*) ;; # already first
    *) export PATH="$JAVA_HOME/bin:$PATH" ;;
  esac
  return 0
}

# Maven 3.8/3.9 bundles libraries (Guava) that call sun.misc.Unsafe; from JDK 24 on that prints
# several "terminally deprecated" warnings on every run. They are Maven's, not logd's: silence them.
# (The option does not exist before JDK 23, so it is added only where it is understood.)
logd_quiet_maven() {
  if [[ ${LOGD_JAVA_MAJOR:-0} -ge 24 && ${MAVEN_OPTS:-} != *sun-misc-unsafe-memory-access* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
  fi
}

# JVM options that make Java thread priorities nice values: logd's background threads (indexing,
# merges, rollups, ingest parsing) run at Java's lowest priority, which becomes nice 10, so searches
# and the HTTP threads get a core first. Raising nice needs no privilege.
# shellcheck disable=SC2034 # used by the scripts that source this file
LOGD_PRIORITY_OPTS=(-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=10)

# JVM options for the server (`logd serve`): the priorities above, and G1 allowed about 2 % of the
# time for GC instead of its default 8 %. G1 then grows the heap, and with it the young generation,
# under load: at saturated ingest young collections went from 2.2 to under 1 a second and GC threads
# from 1.1 to 0.25 us per event, for about 0.9 GB more resident memory; the search p99 was 12-16 ms
# in four of five runs, against 20-30 before (benchmarks/RESULTS.md, issue 4). An idle server keeps
# a small heap.
# shellcheck disable=SC2034 # used by the scripts that source this file
LOGD_SERVER_OPTS=("${LOGD_PRIORITY_OPTS[@]}" -XX:GCTimeRatio=49)

logd_find_jdk && logd_quiet_maven
