#!/bin/sh
# A stand-in runner for the client's tests: reads the request and answers as its first argument
# says. FAKE_REQUEST_OUT, when set, receives the request it read.
here=$(dirname "$0")
known="$here/data/known_response.json"
read_request() {
  if [ -n "$FAKE_REQUEST_OUT" ]; then cat > "$FAKE_REQUEST_OUT"; else cat > /dev/null; fi
}
case "$1" in
  ok)
    read_request
    echo "progress load 1/2" >&2
    echo "a line that is not progress" >&2
    echo "progress run 3/3" >&2
    cat "$known" ;;
  no-read)        # answers without reading its stdin
    cat "$known" ;;
  crash)
    read_request
    echo "fake runner: cannot allocate the arena" >&2
    exit 3 ;;
  hang)
    read_request
    echo "fake runner: hanging" >&2
    exec sleep 60 ;;
  ignore-term)    # only SIGKILL ends it
    read_request
    trap '' TERM
    sleep 60 ;;
  garbage)
    read_request
    echo "Segmentation fault? no: just not JSON {" ;;
  protocol2)
    read_request
    echo '{"protocol":2,"latency_ms":{}}' ;;
  negative)
    read_request
    sed 's/"median": 2.5,/"median": -2.5,/' "$known" ;;
  nan)
    read_request
    sed 's/"median": 2.5,/"median": NaN,/' "$known" ;;
  overflow)
    read_request
    sed 's/"median": 2.5,/"median": 1e999,/' "$known" ;;
  unordered)
    read_request
    sed 's/"median_us": 1500,/"median_us": 9000,/' "$known" ;;
  error)
    read_request
    echo '{"protocol":1,"error":"model file not found: /nowhere.onnx"}'
    exit 2 ;;
  killed)
    read_request
    echo "fake runner: about to be killed" >&2
    kill -9 $$ ;;
  *)
    echo "fake_runner.sh: unknown mode '$1'" >&2
    exit 64 ;;
esac
