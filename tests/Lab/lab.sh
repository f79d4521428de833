#!/usr/bin/env bash
# The PSUpnp network lab: four network namespaces (a fifth, the edge, in some field modes), a NAT router running miniupnpd, a WAN host running coturn.
# Usage: lab.sh up|down|status|nat MODE|field MODE|loss PERCENT|miniupnpd start|stop|restart|exec ROLE CMD...
# A lab belongs to the run that brought it up (PSUPNP_LAB_OWNER, else the calling process): 'up' never touches a
# prefix in use, and 'down' never removes a lab whose owner still runs, unless that owner is the caller.
# Addresses and names come from lab.conf beside this script; PSUPNP_LAB_PREFIX (default psu) names the namespaces.
# See README.md beside this script.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lab.conf
. "$LAB_DIR/lab.conf"

PREFIX=${PSUPNP_LAB_PREFIX:-$DEFAULT_PREFIX}
if [[ ! $PREFIX =~ ^[a-z][a-z0-9]{0,11}$ ]]; then
    echo "lab.sh: PSUPNP_LAB_PREFIX '$PREFIX' is invalid: use 1 to 12 lower-case letters and digits, starting with a letter." >&2
    exit 2
fi

NS_LAN="$PREFIX-$NS_LAN_SUFFIX"
NS_LAN2="$PREFIX-$NS_LAN2_SUFFIX"
NS_RTR="$PREFIX-$NS_RTR_SUFFIX"
NS_WAN="$PREFIX-$NS_WAN_SUFFIX"
NS_EDGE="$PREFIX-$NS_EDGE_SUFFIX"
# The namespaces of every lab; the edge exists only in the cgnat, cgnat-nostun and double-router field modes.
BASE_NS=("$NS_LAN" "$NS_LAN2" "$NS_RTR" "$NS_WAN")
ALL_NS=("${BASE_NS[@]}" "$NS_EDGE")
STATE_DIR="/tmp/psupnp-lab-$PREFIX"
LOCK_FILE="/tmp/psupnp-lab-$PREFIX.lock"
LAN_PREFIXLEN=${LAN_SUBNET#*/}
WAN_PREFIXLEN=${WAN_SUBNET#*/}
NAT_MODES="open port-restricted symmetric full-cone address-restricted udp-blocked"
FIELD_MODES="normal cgnat cgnat-nostun double-router wan-change upnp-off portmap-off deny-all insecure"
# The interfaces each namespace must show as UP before the lab counts as up.
LINKS_RTR="$RTR_LAN_IF rlan rlan2 $RTR_WAN_IF"

log() { echo "lab.sh[$PREFIX]: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ns_of_role() {
    case "$1" in
        lan) echo "$NS_LAN" ;;
        lan2) echo "$NS_LAN2" ;;
        rtr) echo "$NS_RTR" ;;
        wan) echo "$NS_WAN" ;;
        edge) echo "$NS_EDGE" ;;
        *) die "unknown role '$1' (expected lan, lan2, rtr, wan or edge)" ;;
    esac
}

ns_exists() { [[ -e "/var/run/netns/$1" ]]; }

# The caller's identity: the pid given by the run (tests/run exports its own), else the process that called lab.sh.
OWNER_PID=${PSUPNP_LAB_OWNER:-$PPID}
OWNER_FILE="$STATE_DIR/owner"

# "<pid> <start time>": the start time (clock ticks since boot) tells a live owner from a reused pid.
process_identity() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    # Field 22 of /proc/PID/stat is the start time; after the ") " that ends the command name it is field 20.
    echo "$1 $(awk '{print $20}' <<<"$stat")"
}

# Prints the owner recorded for this prefix when that owner still runs; prints nothing for a stale or unowned lab.
live_owner() {
    local recorded pid
    recorded=$(cat "$OWNER_FILE" 2>/dev/null) || return 0
    pid=${recorded%% *}
    [[ -n $pid && $(process_identity "$pid" 2>/dev/null) == "$recorded" ]] && echo "$recorded"
    return 0
}

any_namespace_exists() {
    local ns
    for ns in "${ALL_NS[@]}"; do
        ns_exists "$ns" && return 0
    done
    return 1
}

take_lock() {
    exec 9>"$LOCK_FILE"
    flock -w 60 9 || die "another lab.sh for prefix $PREFIX holds $LOCK_FILE"
}

# Kernel settings of one namespace. IPv6 is on in the four base namespaces (ipv6=yes), off in the edge (the field
# modes are IPv4 situations). With IPv6 on, nothing autoconfigures: no router advertisements are sent (no radvd) or
# accepted, no DAD delays an address (every address is static, and each new interface skips DAD), so the lab's
# addresses are usable at once and none leaks or comes from outside.
configure_namespace() {
    local ns=$1 ipv6=${2:-no} off=1
    [[ $ipv6 == yes ]] && off=0
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=$off net.ipv6.conf.default.disable_ipv6=$off \
        net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 >/dev/null
    if [[ $ipv6 == yes ]]; then
        local key
        for key in accept_ra=0 autoconf=0 accept_dad=0 dad_transmits=0 router_solicitations=0; do
            ip netns exec "$ns" sysctl -q -w "net.ipv6.conf.all.$key" "net.ipv6.conf.default.$key" >/dev/null
        done
    fi
    # br_netfilter makes bridged frames traverse the inet hooks; the lab's bridge must behave like a plain switch.
    local key
    for key in bridge-nf-call-iptables bridge-nf-call-ip6tables bridge-nf-call-arptables; do
        if ip netns exec "$ns" test -e "/proc/sys/net/bridge/$key"; then
            ip netns exec "$ns" sysctl -q -w "net.bridge.$key=0" >/dev/null
        fi
    done
}

wait_links_up() {
    local items=() ns link
    for link in $LINKS_RTR; do
        items+=("$NS_RTR/$link")
    done
    for ns in "$NS_LAN" "$NS_LAN2" "$NS_WAN"; do
        items+=("$ns/$CLIENT_IF")
    done
    wait_ns_links_up "${items[@]}"
}

# Waits until each NS/LINK given is UP.
wait_ns_links_up() {
    local deadline=$((SECONDS + 15)) item pending
    while :; do
        pending=""
        for item in "$@"; do
            # While a veth's far end is still moving, ip says "Peer netns reference is invalid": noise, not an error.
            ip -n "${item%%/*}" -o link show dev "${item#*/}" 2>/dev/null | grep -q 'state UP' || pending+=" $item"
        done
        [[ -z $pending ]] && return 0
        ((SECONDS < deadline)) || die "links still not UP after 15 s:$pending"
        sleep 0.1
    done
}

create_topology() {
    local ns
    for ns in "${BASE_NS[@]}"; do
        ip netns add "$ns"
        configure_namespace "$ns" yes
    done
    ip netns exec "$NS_RTR" sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 >/dev/null

    # Every veth pair is created inside the namespaces: nothing ever touches the root namespace.
    ip -n "$NS_RTR" link add "$RTR_LAN_IF" type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    ip -n "$NS_RTR" link add rlan type veth peer name "$CLIENT_IF" netns "$NS_LAN"
    ip -n "$NS_RTR" link add rlan2 type veth peer name "$CLIENT_IF" netns "$NS_LAN2"
    ip -n "$NS_RTR" link add "$RTR_WAN_IF" type veth peer name "$CLIENT_IF" netns "$NS_WAN"
    ip -n "$NS_RTR" link set rlan master "$RTR_LAN_IF"
    ip -n "$NS_RTR" link set rlan2 master "$RTR_LAN_IF"

    ip -n "$NS_RTR" addr add "$RTR_LAN_IP/$LAN_PREFIXLEN" dev "$RTR_LAN_IF"
    ip -n "$NS_RTR" addr add "$RTR_WAN_IP/$WAN_PREFIXLEN" dev "$RTR_WAN_IF"
    ip -n "$NS_LAN" addr add "$LAN_IP/$LAN_PREFIXLEN" dev "$CLIENT_IF"
    ip -n "$NS_LAN" addr add "$LAN_OPEN_IP/32" dev "$CLIENT_IF"
    ip -n "$NS_LAN2" addr add "$LAN2_IP/$LAN_PREFIXLEN" dev "$CLIENT_IF"
    ip -n "$NS_WAN" addr add "$WAN_IP1/$WAN_PREFIXLEN" dev "$CLIENT_IF"
    ip -n "$NS_WAN" addr add "$WAN_IP2/$WAN_PREFIXLEN" dev "$CLIENT_IF"

    for link in rlan rlan2 "$RTR_LAN_IF" "$RTR_WAN_IF"; do
        ip -n "$NS_RTR" link set "$link" up
    done
    for ns in "$NS_LAN" "$NS_LAN2" "$NS_WAN"; do
        ip -n "$ns" link set "$CLIENT_IF" up
    done

    ip -n "$NS_LAN" route add default via "$RTR_LAN_IP" dev "$CLIENT_IF"
    ip -n "$NS_LAN2" route add default via "$RTR_LAN_IP" dev "$CLIENT_IF"
    ip -n "$NS_RTR" route add "$OPEN_SUBNET" dev "$RTR_LAN_IF"
    # The WAN host is the router's whole internet; it knows only the open block behind the router, never the LAN.
    ip -n "$NS_RTR" route add default via "$WAN_IP1" dev "$RTR_WAN_IF"
    ip -n "$NS_WAN" route add "$OPEN_SUBNET" via "$RTR_WAN_IP" dev "$CLIENT_IF"
    add_ipv6_plan

    wait_links_up
}

# IPv6: global-looking addresses on the LAN and the WAN, routed (no NAT66); the WAN host knows the LAN prefix only
# through the router, as a provider routes a delegated prefix.
add_ipv6_plan() {
    ip -n "$NS_RTR" addr add "$RTR_LAN_IP6/${LAN6_SUBNET#*/}" dev "$RTR_LAN_IF" nodad
    ip -n "$NS_LAN" addr add "$LAN_IP6/${LAN6_SUBNET#*/}" dev "$CLIENT_IF" nodad
    ip -n "$NS_LAN2" addr add "$LAN2_IP6/${LAN6_SUBNET#*/}" dev "$CLIENT_IF" nodad
    add_router_wan_ipv6
    ip -n "$NS_WAN" addr add "$WAN_IP6/${WAN6_SUBNET#*/}" dev "$CLIENT_IF" nodad
    ip -n "$NS_LAN" -6 route add default via "$RTR_LAN_IP6" dev "$CLIENT_IF"
    ip -n "$NS_LAN2" -6 route add default via "$RTR_LAN_IP6" dev "$CLIENT_IF"
    ip -n "$NS_WAN" -6 route add "$LAN6_SUBNET" via "$RTR_WAN_IP6" dev "$CLIENT_IF"
    ip -n "$NS_LAN" -6 route add unreachable "$NO_ROUTE6_SUBNET"
    ip -n "$NS_LAN2" -6 route add unreachable "$NO_ROUTE6_SUBNET"
}

# The router's IPv6 WAN address and default route (again after the edge gives wan0 back: moving a link drops both).
add_router_wan_ipv6() {
    ip -n "$NS_RTR" addr replace "$RTR_WAN_IP6/${WAN6_SUBNET#*/}" dev "$RTR_WAN_IF" nodad
    ip -n "$NS_RTR" -6 route replace default via "$WAN_IP6" dev "$RTR_WAN_IF"
}

# miniupnpd's own table: the base chains jump to the chains it fills, which must exist before it starts.
# On the router the forward chain is also its IPv6 firewall: after miniupnpd's chain (whose pinholes accept), replies
# to what the LAN started pass and anything else arriving over IPv6 from the WAN for the LAN is dropped. IPv4 keeps
# its accept policy (NAT is what guards it; the NAT modes shape it).
apply_base_ruleset() {
    local ns=${1:-$NS_RTR} firewall6=""
    [[ $ns == "$NS_RTR" ]] && firewall6="ct state established,related accept
        meta nfproto ipv6 iifname \"$RTR_WAN_IF\" oifname \"$RTR_LAN_IF\" drop"
    ip netns exec "$ns" nft -f - <<EOF
table inet miniupnpd {
    chain forward {
        type filter hook forward priority filter; policy accept;
        jump miniupnpd
        $firewall6
    }
    chain miniupnpd {
    }
    chain prerouting {
        type nat hook prerouting priority dstnat; policy accept;
        jump prerouting_miniupnpd
    }
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        jump postrouting_miniupnpd
    }
    chain prerouting_miniupnpd {
    }
    chain postrouting_miniupnpd {
    }
}
EOF
}

# The rules of one NAT mode, as one table that follows miniupnpd's chains (its DNAT wins: the first NAT binding holds).
# NAT_LAN_IF, NAT_WAN_IF, NAT_INSIDE and NAT_WAN_ADDR name the NAT box: the router unless the edge's caller sets them.
nat_ruleset() {
    local mode=$1
    local lan_if=${NAT_LAN_IF:-$RTR_LAN_IF} wan_if=${NAT_WAN_IF:-$RTR_WAN_IF} inside=${NAT_INSIDE:-$LAN_SUBNET}
    local wan_addr=${NAT_WAN_ADDR:-$(router_wan_ip)}
    local masq="" learn="" inbound="" blocked=""
    case "$mode" in
        open) ;;
        port-restricted) masq="masquerade" ;;
        symmetric) masq="masquerade fully-random" ;;
        full-cone)
            masq="masquerade"
            learn="update @fc_map { ct reply proto-dst : ct original ip saddr . ct original proto-src }"
            inbound="dnat ip to udp dport map @fc_map"
            ;;
        address-restricted)
            masq="masquerade"
            learn="update @fc_map { ct reply proto-dst : ct original ip saddr . ct original proto-src } update @ar_set { ct reply proto-dst . ip daddr }"
            inbound="udp dport . ip saddr @ar_set dnat ip to udp dport map @fc_map"
            ;;
        udp-blocked)
            masq="masquerade"
            blocked="meta l4proto udp drop"
            ;;
        *) die "unknown NAT mode '$mode' (expected one of: $NAT_MODES)" ;;
    esac
    cat <<EOF
table inet labnat
delete table inet labnat
table inet labnat {
    map fc_map {
        type inet_service : ipv4_addr . inet_service
        flags dynamic,timeout
        timeout 5m
    }
    set ar_set {
        type inet_service . ipv4_addr
        flags dynamic,timeout
        timeout 5m
    }
    chain forward {
        type filter hook forward priority filter + 10; policy accept;
        ${blocked:+iifname "$lan_if" oifname "$wan_if" $blocked}
        ${blocked:+iifname "$wan_if" oifname "$lan_if" $blocked}
    }
    chain postrouting {
        type nat hook postrouting priority srcnat + 10; policy accept;
        ${masq:+oifname "$wan_if" ip saddr $inside $masq}
    }
    chain learn {
        type filter hook postrouting priority srcnat + 20; policy accept;
        ${learn:+oifname "$wan_if" ct original ip saddr $inside meta l4proto udp $learn}
    }
    chain prerouting {
        type nat hook prerouting priority dstnat + 10; policy accept;
        ${inbound:+iifname "$wan_if" ip daddr $wan_addr meta l4proto udp $inbound}
    }
}
EOF
}

apply_nat_mode() {
    local mode=$1
    nat_ruleset "$mode" | ip netns exec "$NS_RTR" nft -f -
    # A conntrack entry keeps the NAT binding it was born with: without this flush a local port reused after a mode
    # change still gets the old mode's mapping (a "symmetric" router that preserves ports, a "port-restricted" one
    # that still forwards like a full cone). Only UDP: NAT modes shape UDP alone, and TCP to miniupnpd stays intact.
    # conntrack -D exits 1 when there was nothing to delete, so the listing is what counts. A flow that starts between
    # the two is born under the new mode and harmless, hence a few rounds before an entry that stays is an error.
    local left="" round
    for round in 1 2 3; do
        ip netns exec "$NS_RTR" conntrack -D -p udp >/dev/null 2>&1 || true
        left=$(ip netns exec "$NS_RTR" conntrack -L -p udp -d "$WAN_SUBNET" 2>/dev/null) \
            || die "conntrack cannot list the router's flows (is nf_conntrack_netlink loaded?), so NAT mode '$mode' may still see the old mode's bindings"
        [[ -z $left ]] && break
    done
    [[ -z $left ]] || die "the router's UDP conntrack entries survived the switch to NAT mode '$mode'; a test would see the old mode: $left"
    echo "$mode" >"$STATE_DIR/nat-mode"
}

apply_loss() {
    local percent=$1
    [[ $percent =~ ^[0-9]+$ ]] && ((percent <= 100)) || die "loss takes a whole percentage 0..100, not '$percent'"
    if ((percent == 0)); then
        ip netns exec "$NS_RTR" nft -f - <<EOF
table inet labloss
delete table inet labloss
EOF
    else
        # numgen's range is 0..99, so "< 100" does not parse: total loss is a plain drop.
        local match="numgen random mod 100 < $percent"
        ((percent == 100)) && match=""
        ip netns exec "$NS_RTR" nft -f - <<EOF
table inet labloss
delete table inet labloss
table inet labloss {
    chain inbound {
        type filter hook prerouting priority raw - 10; policy accept;
        iifname "$RTR_LAN_IF" $match drop
    }
    chain outbound {
        type filter hook postrouting priority srcnat + 100; policy accept;
        oifname "$RTR_LAN_IF" $match drop
    }
}
EOF
    fi
    echo "$percent" >"$STATE_DIR/loss"
}

# The router's miniupnpd configuration for a field mode (default normal).
write_miniupnpd_conf() {
    local mode=${1:-normal} upnp=yes secure=yes stun="" uptime=yes rules
    rules="deny 1-65535 0.0.0.0/0 $MINIUPNPD_DENIED_PORT
allow 1-65535 $LAN_SUBNET 1-65535
deny 0-65535 0.0.0.0/0 0-65535"
    case "$mode" in
        # miniupnpd 2.3.1 disables port forwarding on a reserved WAN address and has no option to allow one; ext_ip=
        # must be public too. STUN is its own answer to being behind another NAT: it learns the public address.
        # cgnat-nostun leaves it out: the router as shipped, which then refuses every mapping.
        cgnat | double-router) stun="ext_perform_stun=yes
ext_stun_host=$WAN_IP1
ext_stun_port=$STUN_PORT" ;;
        # PCP and NAT-PMP only. Their epoch is the daemon's own uptime here, so that `miniupnpd restart` looks like
        # what it stands for, a router restart (the epoch goes back); with the system's uptime it would not.
        upnp-off) upnp=no uptime=no ;;
        deny-all) rules="deny 0-65535 0.0.0.0/0 0-65535" ;;
        insecure) secure=no ;;
    esac
    cat >"$STATE_DIR/miniupnpd.conf" <<EOF
ext_ifname=$RTR_WAN_IF
${stun}
listening_ip=$RTR_LAN_IF
port=$MINIUPNPD_HTTP_PORT
enable_upnp=$upnp
enable_natpmp=yes
secure_mode=$secure
system_uptime=$uptime
uuid=$MINIUPNPD_UUID
friendly_name=PSUpnp lab router
model_number=1
serial=PSUPNPLAB
upnp_table_name=miniupnpd
upnp_nat_table_name=miniupnpd
upnp_forward_chain=miniupnpd
upnp_nat_chain=prerouting_miniupnpd
upnp_nat_postrouting_chain=postrouting_miniupnpd
ipv6_disable=no
ext_ifname6=$RTR_WAN_IF
lease_file6=$STATE_DIR/$MINIUPNPD_PINHOLE_LEASES
$rules
EOF
}

# The provider box's miniupnpd (double-router): an ordinary home router with a public WAN address.
write_box_miniupnpd_conf() {
    cat >"$STATE_DIR/box-miniupnpd.conf" <<EOF
ext_ifname=$EDGE_WAN_IF
listening_ip=$EDGE_LAN_IF
port=$MINIUPNPD_HTTP_PORT
enable_upnp=yes
enable_natpmp=yes
secure_mode=yes
system_uptime=yes
uuid=$BOX_MINIUPNPD_UUID
friendly_name=PSUpnp lab provider box
model_number=1
serial=PSUPNPBOX
upnp_table_name=miniupnpd
upnp_nat_table_name=miniupnpd
upnp_forward_chain=miniupnpd
upnp_nat_chain=prerouting_miniupnpd
upnp_nat_postrouting_chain=postrouting_miniupnpd
allow 1-65535 $BOX_SUBNET 1-65535
deny 0-65535 0.0.0.0/0 0-65535
EOF
}

pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }
read_pid() { [[ -s $1 ]] && cat "$1" || true; }

# Signals the process in a pidfile if it is still the program we started; prints its pid.
signal_pidfile() {
    local pidfile=$1 program=$2 pid
    pid=$(read_pid "$pidfile")
    if pid_alive "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$program" ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        echo "$pid"
    fi
    rm -f "$pidfile"
}

# Waits up to 5 s for the given pids to exit, then kills what is left.
reap() {
    local pid i
    for ((i = 0; i < 50; i++)); do
        for pid in "$@"; do
            pid_alive "$pid" && break
            pid=""
        done
        [[ -z ${pid:-} ]] && return 0
        sleep 0.1
    done
    for pid in "$@"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
}

# An HTTP GET of a miniupnpd's description (default: the router's, from lan2); prints the status line.
http_probe() {
    local from=${1:-$NS_LAN2} address=${2:-$RTR_LAN_IP}
    ip netns exec "$from" timeout 3 bash -c '
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "GET /rootDesc.xml HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n" "$1" "$2" >&3
        head -n 1 <&3' _ "$address" "$MINIUPNPD_HTTP_PORT" 2>/dev/null || true
}

# Starts the router's miniupnpd (or, given "box", the provider box's) and returns once it answers.
miniupnpd_start() {
    local name=${1:-miniupnpd} ns=$NS_RTR from=$NS_LAN2 address=$RTR_LAN_IP http=yes pid status=""
    [[ $name == box ]] && { name=box-miniupnpd ns=$NS_EDGE from=$NS_RTR address=$BOX_LAN_IP; }
    # With UPnP off the router serves NAT-PMP and PCP alone: no description to fetch.
    [[ $name == miniupnpd && $(current_field_mode) == upnp-off ]] && http=no
    local pidfile="$STATE_DIR/$name.pid"
    pid=$(read_pid "$pidfile")
    pid_alive "$pid" && die "$name is already running (pid $pid)"
    # miniupnpd writes its pidfile without truncating it: a stale longer pid from a daemon that died would remain.
    rm -f "$pidfile"
    ip netns exec "$ns" miniupnpd -f "$STATE_DIR/$name.conf" -P "$pidfile" </dev/null >/dev/null 2>&1 9>&- ||
        die "$name did not start: $(miniupnpd_diagnose "$name" "$ns")"
    local deadline=$((SECONDS + 10))
    while ((SECONDS < deadline)); do
        [[ $http == yes ]] && status=$(http_probe "$from" "$address")
        if [[ $http == no || $status == "HTTP/1.1 200"* ]] &&
            ip netns exec "$ns" ss -Hlun "sport = :$NATPMP_PORT" | grep -q .; then
            return 0
        fi
        sleep 0.1
    done
    die "$name does not answer HTTP on $address:$MINIUPNPD_HTTP_PORT (last status '${status}'): $(miniupnpd_diagnose "$name" "$ns")"
}

# miniupnpd logs only to syslog when daemonized; a short foreground run shows why it refuses to start.
miniupnpd_diagnose() {
    local name=${1:-miniupnpd} ns=${2:-$NS_RTR}
    local pidfile="$STATE_DIR/$name.pid"
    if pid_alive "$(read_pid "$pidfile")"; then
        echo "the daemon runs but does not answer"
        return
    fi
    ip netns exec "$ns" timeout 2 miniupnpd -d -f "$STATE_DIR/$name.conf" -P "$STATE_DIR/$name-diagnose.pid" 2>&1 |
        grep -iE 'error|fail|refus|impossible|cannot|reserved' | head -n 5 | tr '\n' ' ' || true
}

miniupnpd_stop() {
    reap $(signal_pidfile "$STATE_DIR/miniupnpd.pid" miniupnpd)
    flush_miniupnpd_chains
    # miniupnpd reads lease_file6 back at start: a restarted lab router forgets its pinholes as it forgets its mappings.
    rm -f "$STATE_DIR/$MINIUPNPD_PINHOLE_LEASES"
}

flush_miniupnpd_chains() {
    # A restarted router has forgotten every mapping, even if the daemon left a rule behind.
    if ns_exists "$NS_RTR"; then
        ip netns exec "$NS_RTR" nft flush chain inet miniupnpd miniupnpd 2>/dev/null || true
        ip netns exec "$NS_RTR" nft flush chain inet miniupnpd prerouting_miniupnpd 2>/dev/null || true
        ip netns exec "$NS_RTR" nft flush chain inet miniupnpd postrouting_miniupnpd 2>/dev/null || true
    fi
}

coturn_start() {
    local pidfile="$STATE_DIR/turnserver.pid"
    setsid ip netns exec "$NS_WAN" turnserver -n -L "$WAN_IP1" -L "$WAN_IP2" -p "$STUN_PORT" \
        --alt-listening-port "$STUN_ALT_PORT" --stun-only --no-tls --no-dtls --no-cli \
        --pidfile "$STATE_DIR/turnserver.own.pid" --log-file=stdout --db "$STATE_DIR/turndb" \
        </dev/null >"$STATE_DIR/turnserver.log" 2>&1 9>&- &
    echo $! >"$pidfile"
    local deadline=$((SECONDS + 10)) addr missing answer
    while ((SECONDS < deadline)); do
        pid_alive "$(read_pid "$pidfile")" || die "turnserver exited: $(tail -n 5 "$STATE_DIR/turnserver.log" | tr '\n' ' ')"
        missing=""
        for addr in "$WAN_IP1:$STUN_PORT" "$WAN_IP2:$STUN_PORT" "$WAN_IP1:$STUN_ALT_PORT" "$WAN_IP2:$STUN_ALT_PORT"; do
            ip netns exec "$NS_WAN" ss -Hlun "src $addr" | grep -q . || missing+=" $addr"
        done
        if [[ -z $missing ]]; then
            answer=$(ip netns exec "$NS_WAN" timeout 3 turnutils_stunclient -p "$STUN_PORT" "$WAN_IP1" 2>&1 || true)
            if grep -q 'UDP reflexive addr' <<<"$answer"; then
                return 0
            fi
        fi
        sleep 0.1
    done
    die "coturn does not answer STUN on $WAN_IP1:$STUN_PORT (not listening:${missing:- none}): $(tail -n 5 "$STATE_DIR/turnserver.log" | tr '\n' ' ')"
}

# ---- Field modes: the situations around the router that make a mapping useless in the field ----

current_field_mode() { cat "$STATE_DIR/field" 2>/dev/null || echo normal; }

# The router's WAN address now (wan-change replaces it; the edge modes put the router behind the edge).
router_wan_ip() { cat "$STATE_DIR/wan-ip" 2>/dev/null || echo "$RTR_WAN_IP"; }

# Gives the router's WAN link a new address, as a new DHCP lease would, leaving miniupnpd and its mappings running.
set_router_wan_address() {
    local address=$1 old
    old=$(router_wan_ip)
    ip -n "$NS_RTR" addr del "$old/$WAN_PREFIXLEN" dev "$RTR_WAN_IF"
    ip -n "$NS_RTR" addr add "$address/$WAN_PREFIXLEN" dev "$RTR_WAN_IF"
    # Deleting the address took the default route with it.
    ip -n "$NS_RTR" route replace default via "$WAN_IP1" dev "$RTR_WAN_IF"
    ip -n "$NS_WAN" route replace "$OPEN_SUBNET" via "$address" dev "$CLIENT_IF"
    echo "$address" >"$STATE_DIR/wan-ip"
    # Flows masqueraded to the old address are dead, as after a real change; the NAT mode names the address too.
    ip netns exec "$NS_RTR" conntrack -F >/dev/null 2>&1 || true
    apply_nat_mode "$(cat "$STATE_DIR/nat-mode")"
}

# Puts the edge (carrier NAT or provider box) between the router and the WAN host: the router's WAN link moves into
# the edge, whose public side keeps the link to the WAN host, and a new link joins the edge's inside to the router.
edge_build() {
    local mode=$1 subnet edge_ip rtr_ip
    case "$mode" in
        cgnat | cgnat-nostun) subnet=$CGNAT_SUBNET edge_ip=$CGNAT_EDGE_IP rtr_ip=$CGNAT_RTR_IP ;;
        double-router) subnet=$BOX_SUBNET edge_ip=$BOX_LAN_IP rtr_ip=$BOX_RTR_IP ;;
    esac
    local len=${subnet#*/}
    ip netns add "$NS_EDGE"
    configure_namespace "$NS_EDGE"
    ip netns exec "$NS_EDGE" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null
    ip -n "$NS_RTR" link set "$RTR_WAN_IF" netns "$NS_EDGE"
    ip -n "$NS_EDGE" link set "$RTR_WAN_IF" name "$EDGE_WAN_IF"
    ip -n "$NS_EDGE" addr add "$EDGE_WAN_IP/$WAN_PREFIXLEN" dev "$EDGE_WAN_IF"
    ip -n "$NS_RTR" link add "$RTR_WAN_IF" type veth peer name "$EDGE_LAN_IF" netns "$NS_EDGE"
    ip -n "$NS_EDGE" addr add "$edge_ip/$len" dev "$EDGE_LAN_IF"
    ip -n "$NS_RTR" addr add "$rtr_ip/$len" dev "$RTR_WAN_IF"
    ip -n "$NS_EDGE" link set "$EDGE_WAN_IF" up
    ip -n "$NS_EDGE" link set "$EDGE_LAN_IF" up
    ip -n "$NS_RTR" link set "$RTR_WAN_IF" up
    ip -n "$NS_RTR" route replace default via "$edge_ip" dev "$RTR_WAN_IF"
    ip -n "$NS_EDGE" route add default via "$WAN_IP1" dev "$EDGE_WAN_IF"
    echo "$rtr_ip" >"$STATE_DIR/wan-ip"
    wait_ns_links_up "$NS_EDGE/$EDGE_WAN_IF" "$NS_EDGE/$EDGE_LAN_IF" "$NS_RTR/$RTR_WAN_IF" "$NS_WAN/$CLIENT_IF"
    # The edge is a full cone for UDP (endpoint-independent mapping and filtering, as RFC 4787 lets a carrier NAT be):
    # miniupnpd's STUN test then finds port forwarding possible, grants mappings and names the edge's public address,
    # while nothing from the WAN reaches a mapped port through the edge (it forwards no TCP and no unsolicited UDP).
    apply_base_ruleset "$NS_EDGE"
    NAT_LAN_IF=$EDGE_LAN_IF NAT_WAN_IF=$EDGE_WAN_IF NAT_INSIDE=$subnet NAT_WAN_ADDR=$EDGE_WAN_IP nat_ruleset full-cone |
        ip netns exec "$NS_EDGE" nft -f -
    ip netns exec "$NS_RTR" conntrack -F >/dev/null 2>&1 || true
    if [[ $mode == double-router ]]; then
        write_box_miniupnpd_conf
        miniupnpd_start box
    fi
}

# Undoes edge_build: the router's WAN link and address come back, the edge and the box's miniupnpd go.
edge_remove() {
    reap $(signal_pidfile "$STATE_DIR/box-miniupnpd.pid" miniupnpd)
    ip -n "$NS_RTR" link del "$RTR_WAN_IF" 2>/dev/null || true
    ip -n "$NS_EDGE" link set "$EDGE_WAN_IF" netns "$NS_RTR"
    ip -n "$NS_RTR" link set "$EDGE_WAN_IF" name "$RTR_WAN_IF"
    ip -n "$NS_RTR" addr add "$RTR_WAN_IP/$WAN_PREFIXLEN" dev "$RTR_WAN_IF"
    ip -n "$NS_RTR" link set "$RTR_WAN_IF" up
    ip -n "$NS_RTR" route replace default via "$WAN_IP1" dev "$RTR_WAN_IF"
    add_router_wan_ipv6
    rm -f "$STATE_DIR/wan-ip"
    local pid
    for pid in $(ip netns pids "$NS_EDGE" 2>/dev/null); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    ip netns del "$NS_EDGE"
    wait_ns_links_up "$NS_RTR/$RTR_WAN_IF" "$NS_WAN/$CLIENT_IF"
    ip netns exec "$NS_RTR" conntrack -F >/dev/null 2>&1 || true
}

# Switches the field mode: back to normal first, then into MODE. Every mode but wan-change restarts the router's
# miniupnpd with its configuration (its mappings are forgotten, as by a reconfigured router); wan-change keeps it running.
apply_field_mode() {
    local mode=$1 from
    from=$(current_field_mode)
    [[ $from == "$mode" ]] && return 0
    case "$from" in
        wan-change) set_router_wan_address "$RTR_WAN_IP"; rm -f "$STATE_DIR/wan-ip" ;;
        cgnat | cgnat-nostun | double-router) miniupnpd_stop; edge_remove ;;
        normal) ;;
        *) miniupnpd_stop ;;
    esac
    echo normal >"$STATE_DIR/field"
    case "$mode" in
        normal) ;;
        wan-change) set_router_wan_address "$RTR_WAN_IP_CHANGED" ;;
        cgnat | cgnat-nostun | double-router) miniupnpd_stop; edge_build "$mode" ;;
        *) miniupnpd_stop ;;
    esac
    echo "$mode" >"$STATE_DIR/field"
    write_miniupnpd_conf "$mode"
    # portmap-off: a router that routes and filters but offers no way to ask for a mapping (UPnP, PCP and NAT-PMP off).
    [[ $mode == portmap-off ]] && return 0
    pid_alive "$(read_pid "$STATE_DIR/miniupnpd.pid")" || miniupnpd_start
}

cmd_up() {
    local ns owner identity
    owner=$(live_owner)
    if [[ -n $owner ]]; then
        die "prefix $PREFIX is in use by the run with pid ${owner%% *}; left untouched. Choose another PSUPNP_LAB_PREFIX."
    fi
    for ns in "${ALL_NS[@]}"; do
        ns_exists "$ns" && die "namespace $ns already exists (a lab whose run has ended); left untouched. Run 'PSUPNP_LAB_PREFIX=$PREFIX lab.sh down' to clear it, or choose another prefix."
    done
    identity=$(process_identity "$OWNER_PID") || die "the owner pid $OWNER_PID (PSUPNP_LAB_OWNER) is not a running process"
    for tool in ip nft conntrack miniupnpd turnserver turnutils_stunclient ss flock setsid; do
        command -v "$tool" >/dev/null || die "'$tool' is not installed (bash .ci/run installs the lab's packages)"
    done
    # From here on, any failure tears the half-built lab down.
    trap 'rc=$?; if ((rc != 0)); then log "up failed; tearing down"; do_down; fi' EXIT
    rm -rf "$STATE_DIR"
    mkdir -p "$STATE_DIR"
    echo "$identity" >"$OWNER_FILE"
    create_topology
    apply_base_ruleset
    apply_nat_mode "$DEFAULT_NAT_MODE"
    apply_loss 0
    write_miniupnpd_conf
    miniupnpd_start
    coturn_start
    trap - EXIT
    log "up: $NS_LAN ($LAN_IP, $LAN_OPEN_IP) $NS_LAN2 ($LAN2_IP) $NS_RTR ($RTR_LAN_IP, $RTR_WAN_IP) $NS_WAN ($WAN_IP1, $WAN_IP2)"
}

# 'down' as a command: a lab whose owner still runs is someone else's unless the caller is that owner.
cmd_down() {
    local owner
    owner=$(live_owner)
    if [[ -n $owner && ${owner%% *} != "$OWNER_PID" ]]; then
        die "the lab $PREFIX belongs to the running process ${owner%% *}, not to this caller ($OWNER_PID); left untouched"
    fi
    do_down
}

do_down() {
    local ns pid
    if [[ -d $STATE_DIR ]]; then
        # Both at once: miniupnpd alone takes 1 to 2 s to send its byebye and exit.
        reap $(signal_pidfile "$STATE_DIR/miniupnpd.pid" miniupnpd) $(signal_pidfile "$STATE_DIR/turnserver.pid" turnserver) \
            $(signal_pidfile "$STATE_DIR/box-miniupnpd.pid" miniupnpd)
    fi
    # Whatever else still runs in the daemons' namespaces was started by the lab (a half-failed up, a lost pidfile).
    for ns in "$NS_RTR" "$NS_WAN" "$NS_EDGE"; do
        if ns_exists "$ns"; then
            for pid in $(ip netns pids "$ns" 2>/dev/null); do
                kill -KILL "$pid" 2>/dev/null || true
            done
        fi
    done
    for ns in "${ALL_NS[@]}"; do
        if ns_exists "$ns"; then
            ip netns del "$ns" || log "could not delete namespace $ns"
        fi
    done
    rm -rf "$STATE_DIR"
}

# Takes down every lab on this machine whose owning run has ended (an interrupted run leaves its lab behind); a lab
# whose owner still runs, whatever its prefix, is not touched.
cmd_reap() {
    local dir prefix
    for dir in /tmp/psupnp-lab-*/; do
        [[ -f $dir/owner ]] || continue
        prefix=${dir#/tmp/psupnp-lab-}
        prefix=${prefix%/}
        [[ $prefix =~ ^[a-z][a-z0-9]{0,11}$ ]] || continue
        if [[ -z $(PSUPNP_LAB_PREFIX=$prefix OWNER_FILE="$dir/owner" live_owner) ]]; then
            log "reaping the lab $prefix (its run has ended)"
            PSUPNP_LAB_PREFIX=$prefix PSUPNP_LAB_OWNER=$$ bash "$LAB_DIR/lab.sh" down
        fi
    done
}

cmd_status() {
    local ns up=1 pid
    for ns in "${BASE_NS[@]}"; do
        if ns_exists "$ns"; then echo "namespace $ns: present"; else echo "namespace $ns: absent"; up=0; fi
    done
    for daemon in miniupnpd turnserver; do
        pid=$(read_pid "$STATE_DIR/$daemon.pid")
        if pid_alive "$pid"; then echo "$daemon: running (pid $pid)"; else echo "$daemon: not running"; up=0; fi
    done
    echo "nat: $(cat "$STATE_DIR/nat-mode" 2>/dev/null || echo none)"
    echo "field: $(current_field_mode)"
    echo "loss: $(cat "$STATE_DIR/loss" 2>/dev/null || echo none)"
    echo "state: $STATE_DIR"
    ((up == 1))
}

require_up() {
    ns_exists "$NS_RTR" && [[ -d $STATE_DIR ]] || die "the lab $PREFIX is not up: run 'lab.sh up' first"
}

usage() {
    cat >&2 <<EOF
usage: lab.sh up | down | reap | status | nat MODE | field FIELD | loss PERCENT | miniupnpd start|stop|restart | exec ROLE CMD...
  MODE: $NAT_MODES
  FIELD: $FIELD_MODES
  ROLE: lan lan2 rtr wan edge (edge: in the cgnat, cgnat-nostun and double-router field modes)
  PSUPNP_LAB_PREFIX=$PREFIX: namespaces ${BASE_NS[*]} (and $NS_EDGE in cgnat, cgnat-nostun, double-router), state in $STATE_DIR
EOF
    exit 2
}

main() {
    [[ $# -ge 1 ]] || usage
    local cmd=$1
    shift
    [[ $(id -u) -eq 0 ]] || die "the lab needs root (network namespaces, nftables)"
    case "$cmd" in
        up) take_lock; cmd_up ;;
        down) take_lock; cmd_down ;;
        reap) cmd_reap ;;
        status) cmd_status ;;
        nat)
            [[ $# -eq 1 ]] || usage
            [[ " $NAT_MODES " == *" $1 "* ]] || die "unknown NAT mode '$1' (expected one of: $NAT_MODES)"
            take_lock; require_up; apply_nat_mode "$1" ;;
        field)
            [[ $# -eq 1 ]] || usage
            [[ " $FIELD_MODES " == *" $1 "* ]] || die "unknown field mode '$1' (expected one of: $FIELD_MODES)"
            take_lock; require_up; apply_field_mode "$1" ;;
        loss)
            [[ $# -eq 1 ]] || usage
            take_lock; require_up; apply_loss "$1" ;;
        miniupnpd)
            [[ $# -eq 1 ]] || usage
            take_lock; require_up
            case "$1" in
                start) miniupnpd_start ;;
                stop) miniupnpd_stop ;;
                restart) miniupnpd_stop; miniupnpd_start ;;
                *) usage ;;
            esac ;;
        exec)
            [[ $# -ge 2 ]] || usage
            local ns
            ns=$(ns_of_role "$1")
            shift
            ns_exists "$ns" || die "namespace $ns does not exist: run 'lab.sh up' first"
            exec ip netns exec "$ns" "$@" ;;
        *) usage ;;
    esac
}

main "$@"
