# Sourced by the scripts that bring a lab up for a run of their own (tests/run, bench/run, tests/Lab/demo, ...):
#   lab_session_start NAME   takes down labs whose run has ended, brings up PSUPNP_LAB_PREFIX owned by this
#                            script's process, and takes it down again when the script exits.
# The script sets PSUPNP_LAB_PREFIX and PSUPNP_LAB_DIR before calling it. A prefix in use by a live run is never
# touched: 'up' fails and says so.

lab_session_start() {
    local name=$1
    export PSUPNP_LAB_OWNER=$$
    bash "$PSUPNP_LAB_DIR/lab.sh" reap
    echo "== lab up ($PSUPNP_LAB_PREFIX)"
    trap lab_session_end EXIT
    if ! bash "$PSUPNP_LAB_DIR/lab.sh" up; then
        trap - EXIT
        echo "$name: the network lab $PSUPNP_LAB_PREFIX did not start (see above)." >&2
        return 1
    fi
}

lab_session_end() {
    local rc=$?
    # Each write may fail once the terminal is gone (a lab shell's window closed): the lab still goes down.
    echo "== lab down ($PSUPNP_LAB_PREFIX)" || true
    bash "$PSUPNP_LAB_DIR/lab.sh" down || echo "lab.sh down failed; check 'ip netns list'" >&2 || true
    return $rc
}
