#!/bin/bash
# `make slurm-check`: Slurm/study-array.sh on a real one-node Slurm cluster. munged, slurmctld and slurmd run
# in the foreground of this script with their state in a scratch folder; the job array runs a small grid; its
# shards are merged with `nlp-vanish report` and compared row by row with the same grid run unsharded. Only the
# daemons started here are stopped, by pid. Needs root (SlurmUser=root; munged runs as the munge user).
# Usage: Slurm/check.sh PREFIX, PREFIX/bin/nlp-vanish being an installed binary (make install PREFIX=…).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(cd "$1" && pwd)
say() { echo "slurm-check: $*"; }
fail() { echo "slurm-check: error: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root: Slurm's daemons run as root here and munged as the munge user"
[ -x "$prefix/bin/nlp-vanish" ] || fail "no nlp-vanish in $prefix/bin"

# The docs show the job script the check submits; the two must not drift apart.
documented=$(awk '/^### Slurm/ { s = 1 } s && /^```bash$/ { b = 1; next } b && /^```$/ { exit } b' "$repo/docs/large-sweeps.md")
[ "$documented" = "$(cat "$repo/Slurm/study-array.sh")" ] ||
  fail "docs/large-sweeps.md's Slurm script differs from Slurm/study-array.sh"

work=$(mktemp -d /tmp/nlp-vanish-slurm.XXXXXX)
chmod 755 "$work"   # munged, as the munge user, must reach its socket below
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/jobs"
chown munge:munge "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$work/munge/munge.key" && chmod 400 "$work/munge/munge.key"

node=$(hostname -s)
export SLURM_CONF=$work/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=nlpvanish
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=check Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

pids=()
logs() {
  for log in "$work"/munge/munged.log "$work"/slurmctld.log "$work"/slurmd.log "$work"/jobs/slurm-*.out; do
    [ -f "$log" ] && { echo "----- $log"; tail -n 40 "$log"; }
  done
}
stop() {
  local status=$?
  [ "$status" = 0 ] || logs
  [ -f "$work/munge/munged.pid" ] && pids+=("$(cat "$work/munge/munged.pid")")
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  say "stopped the daemons it started (pids ${pids[*]}); files in $work"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

runuser -u munge -- munged --foreground --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/munged.seed" --log-file="$work/munge/munged.log" \
  >"$work/munge/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$work/munge/munge.socket" ] || fail "munged did not start"
slurmctld -D -i >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N "$node" >"$work/slurmd.out" 2>&1 &
pids+=($!)

for _ in $(seq 60); do
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a daemon exited (pid $pid); see the logs below"; done
  [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && break
  sleep 0.5
done
[ "$(sinfo -h -o %t 2>/dev/null)" = idle ] || fail "the node is not idle after 30 s: $(sinfo -h -o '%t %E' 2>&1)"
say "one-node cluster up: node $node, $(nproc) CPUs, Slurm $(sinfo -V | cut -d' ' -f2)"

# The small grid of the tests, three shards on one CPU each.
export GRID="--distances 3,6 --variants tanh:xavier,relu:identity --hidden 8 --seeds 2 --steps 30 --eval-every 10 --batch 8"
export OUT=$work/sweep PATH=$prefix/bin:$PATH
cd "$work/jobs"
say "sbatch --wait --array=1-3 --cpus-per-task=1 Slurm/study-array.sh"
timeout 600 sbatch --wait --array=1-3 --cpus-per-task=1 --time=00:10:00 "$repo/Slurm/study-array.sh" ||
  fail "the job array failed or timed out: $(squeue -h 2>&1)"

nlp-vanish report "$OUT"/shard-* --out "$OUT/all" >"$work/report.log"
# shellcheck disable=SC2086
nlp-vanish study $GRID --threads 2 --out "$work/whole" >"$work/whole.log" 2>&1

# runs.csv of the merged shards and of the unsharded run: equal row for row but for the wall-clock seconds.
rows() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seconds") skip = i; next }
           { line = ""; for (i = 1; i <= NF; i++) if (i != skip) line = line $i ","; print line }' "$1" | sort
}
merged=$(rows "$OUT/all/runs.csv")
whole=$(rows "$work/whole/runs.csv")
count=$(printf '%s\n' "$whole" | wc -l)
[ "$count" = 8 ] || fail "the unsharded grid has $count runs, not 8"
[ "$merged" = "$whole" ] || fail "merged shards differ from the unsharded run: $(diff <(echo "$merged") <(echo "$whole"))"
for k in 1 2 3; do [ -s "$OUT/shard-$k/runs.csv" ] || fail "shard $k wrote no runs.csv"; done
say "passed: 3 shards ran as a Slurm job array; their merged runs.csv equals the unsharded run's ($count runs)"
