// A small reader of the protobuf wire format, enough to list the nodes of an ONNX model (the
// optimized graph ONNX Runtime saves) with their value names. The model's outer levels are read
// from the file by position, so large initializers are skipped, never loaded; every length is
// checked against the bytes that hold it.
//   ModelProto.graph = 7; GraphProto.node = 1; NodeProto input = 1, output = 2, name = 3,
//   op_type = 4, attribute = 5, domain = 7; AttributeProto g = 6, graphs = 11.
import fs from 'node:fs';

const VARINT = 0, FIXED64 = 1, LENGTH_DELIMITED = 2, FIXED32 = 5;
const WINDOW_BYTES = 1 << 16;

class WireError extends Error {}

// Bytes by position: a whole Buffer, or a file read through a window.
class BufferSource {
  constructor(buffer) { this.buffer = buffer; this.size = buffer.length; }
  slice(pos, len) { return this.buffer.subarray(pos, pos + len); }
}

class FileSource {
  constructor(fd, size) { this.fd = fd; this.size = size; this.start = 0; this.window = Buffer.alloc(0); }
  slice(pos, len) {
    if (pos >= this.start && pos + len <= this.start + this.window.length)
      return this.window.subarray(pos - this.start, pos - this.start + len);
    if (len > WINDOW_BYTES) return this.#read(pos, len);
    this.start = pos;
    this.window = this.#read(pos, Math.min(WINDOW_BYTES, this.size - pos));
    return this.window.subarray(0, len);
  }
  #read(pos, len) {
    const out = Buffer.alloc(len);
    let done = 0;
    while (done < len) {
      const n = fs.readSync(this.fd, out, done, len - done, pos + done);
      if (n === 0) throw new WireError(`file ends at byte ${pos + done}, ${len - done} bytes short`);
      done += n;
    }
    return out;
  }
}

// One message: the bytes [pos, end) of a source.
class MessageReader {
  constructor(source, pos, end, what) {
    this.source = source; this.pos = pos; this.end = end; this.what = what;
  }
  done() { return this.pos >= this.end; }
  #fail(message) { throw new WireError(`${this.what}: ${message} at byte ${this.pos}`); }
  varint() {
    let value = 0;
    for (let i = 0, scale = 1; i < 10; i++, scale *= 128) {
      if (this.pos >= this.end) this.#fail('truncated varint');
      const byte = this.source.slice(this.pos++, 1)[0];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
    this.#fail('varint longer than 10 bytes');
  }
  // Returns { field, wire }.
  tag() {
    const key = this.varint();
    const field = Math.floor(key / 8), wire = key % 8;
    if (field === 0) this.#fail('field number 0');
    return { field, wire };
  }
  // The length of a length-delimited field, checked against what is left.
  length() {
    const len = this.varint();
    if (len > this.end - this.pos) this.#fail(`length ${len} runs past the end (${this.end - this.pos} bytes left)`);
    return len;
  }
  sub(what) {
    const len = this.length();
    const reader = new MessageReader(this.source, this.pos, this.pos + len, what);
    this.pos += len;
    return reader;
  }
  // A sub-message copied out of a file-backed source into memory (a node, never a weight).
  loaded(what) {
    const len = this.length();
    const bytes = this.source.slice(this.pos, len);
    this.pos += len;
    return new MessageReader(new BufferSource(bytes), 0, len, what);
  }
  string() {
    const len = this.length();
    const text = this.source.slice(this.pos, len).toString('utf8');
    this.pos += len;
    return text;
  }
  skip(wire) {
    const widths = { [FIXED64]: 8, [FIXED32]: 4 };
    if (wire === VARINT) this.varint();
    else if (wire === LENGTH_DELIMITED) {
      const len = this.length();  // read before pos moves past it
      this.pos += len;
    }
    else if (wire in widths) {
      if (widths[wire] > this.end - this.pos) this.#fail('truncated fixed-width field');
      this.pos += widths[wire];
    } else this.#fail(`unsupported wire type ${wire}`);
  }
}

// `parent` is the name of the node whose attribute holds this node's graph, null at top level.
function readNode(reader, nodes, parent) {
  const node = { name: '', op_type: '', domain: '', inputs: [], outputs: [], parent };
  const subgraphs = [];
  while (!reader.done()) {
    const { field, wire } = reader.tag();
    if (wire !== LENGTH_DELIMITED) { reader.skip(wire); continue; }
    if (field === 1) node.inputs.push(reader.string());
    else if (field === 2) node.outputs.push(reader.string());
    else if (field === 3) node.name = reader.string();
    else if (field === 4) node.op_type = reader.string();
    else if (field === 7) node.domain = reader.string();
    else if (field === 5) subgraphs.push(reader.sub('AttributeProto'));
    else reader.skip(wire);
  }
  nodes.push(node);
  for (const attribute of subgraphs) readAttributeGraphs(attribute, nodes, node.name);
}

function readAttributeGraphs(reader, nodes, parent) {
  while (!reader.done()) {
    const { field, wire } = reader.tag();
    if (wire === LENGTH_DELIMITED && (field === 6 || field === 11)) readGraph(reader.sub('GraphProto'), nodes, parent);
    else reader.skip(wire);
  }
}

function readGraph(reader, nodes, parent) {
  while (!reader.done()) {
    const { field, wire } = reader.tag();
    if (field === 1 && wire === LENGTH_DELIMITED) readNode(reader.loaded('NodeProto'), nodes, parent);
    else reader.skip(wire);
  }
}

function readModel(source, what) {
  const model = new MessageReader(source, 0, source.size, `${what}: ModelProto`);
  const nodes = [];
  let graphs = 0;
  while (!model.done()) {
    const { field, wire } = model.tag();
    if (field === 7 && wire === LENGTH_DELIMITED) { readGraph(model.sub('GraphProto'), nodes, null); graphs++; }
    else model.skip(wire);
  }
  if (graphs === 0) throw new WireError(`${what}: no graph (ModelProto field 7)`);
  return nodes;
}

// Every node of the model's graph and of its subgraphs (If/Loop/Scan bodies), in file order:
// [{ name, op_type, domain, inputs, outputs, parent }]. Throws a WireError on a malformed file.
export function readModelNodes(file) {
  const fd = fs.openSync(file, 'r');
  try {
    return readModel(new FileSource(fd, fs.fstatSync(fd).size), file);
  } finally {
    fs.closeSync(fd);
  }
}

export { WireError };
