#!/usr/bin/python3
"""Export the ONNX models that winglet is tested and benchmarked on.

Models (all with random, deterministic weights -- torch.manual_seed(0)):

  resnet18, resnet50, mobilenet_v2
      torchvision classifiers at 1x3x224x224, opset 13.  Exported with
      training=TrainingMode.PRESERVE on an eval()-mode model, which skips
      torch's eval-mode "Conv+BatchNormalization" peephole fusion, so the
      BatchNormalization nodes are KEPT in the graph (checked after export).
      BN layers get seeded random statistics (see randomize_norm_layers).
      Input "input" (float32 [N,3,224,224]), output "logits" (float32 [N,1000]).
      --dynamic-batch makes N the symbolic dimension "batch".

  gpt2_small_like
      GPT-2-small-shaped decoder-only transformer in plain torch: 12 layers,
      d_model 768, 12 heads, d_ff 3072, vocab 50257, context 1024, learned
      positional embedding, pre-LayerNorm, GELU, UNTIED lm_head
      Linear(768, 50257).  163,087,441 params (all present as initializers,
      incl. the full 1024x768 positional table), ~622 MiB fp32, single-file
      ONNX, peak RSS ~3.2 GB while exporting.
      Fixed shapes: input "input_ids" int64 [1,128] -> "logits" [1,128,50257].
      LayerNorm/GELU are decomposed (opset 13 has no LayerNormalization).

  cmsis_cifar10
      The CIFAR-10 CNN of Arm's CMSIS-NN example (Lai et al., "CMSIS-NN",
      arXiv:1801.06601): 3x32x32 input; conv 5x5 (pad 2) 32 -> ReLU ->
      maxpool 3x3/2 (ceil) -> conv 5x5 32 -> ReLU -> maxpool -> conv 5x5 64
      -> ReLU -> maxpool -> fully connected 1024 -> 10. 12,298,240 MACs in
      the convolutions and FC (2,457,600 + 6,553,600 + 3,276,800 + 10,240),
      the "~12.3 M" the paper times at 99.1 ms on a 216 MHz Cortex-M7.

  yolov8n
      Ultralytics YOLOv8n object detector (yolov8.yaml at the "n" scale:
      depth 0.33, width 0.25, max_channels 1024; 80 classes) in plain torch,
      written from the published architecture.  Conv = Conv2d (no bias) +
      BatchNorm2d (eps 1e-3) + SiLU.  Backbone: Conv 16 s2, Conv 32 s2,
      C2f 32 x1, Conv 64 s2, C2f 64 x2 (P3), Conv 128 s2, C2f 128 x2 (P4),
      Conv 256 s2, C2f 256 x1, SPPF 256 (k5); backbone C2f use residual
      bottlenecks.  PAN-FPN head: Upsample x2 (nearest) + Concat P4 -> C2f
      128, Upsample + Concat P3 -> C2f 64 (P3 out), Conv s2 + Concat -> C2f
      128 (P4 out), Conv s2 + Concat -> C2f 256 (P5 out).  Detect: per level
      box branch 2x Conv3x3 64 -> Conv1x1 64 (4 x reg_max 16) and class
      branch 2x Conv3x3 80 -> Conv1x1 80; DFL (softmax over 16 bins + fixed
      arange 1x1 conv), decoded to xywh * stride around the anchor centres
      (grid + 0.5, strides 8/16/32), class scores through a sigmoid.
      Input "images" float32 [1,3,640,640] -> "output0" [1,84,8400] (the
      Ultralytics ONNX names; 8400 = 80^2 + 40^2 + 20^2 anchors), fixed
      shapes.  Exported with training=EVAL, so torch FOLDS every BatchNorm
      into its Conv (a deployed model's graph; no BatchNormalization nodes).
      Parameters: 3,157,200 in torch with BN, 3,151,904 with BN folded --
      exactly Ultralytics' "YOLOv8n summary (fused): 3,151,904 parameters";
      the ONNX initializers hold exactly those 3,151,904 elements.  Conv MACs
      4,371,993,600 = 8.74 "GFLOPs" (2 x MACs; published: 8.7).  C2f splits
      use constant-size Split (not chunk) and the head's Reshapes have static
      sizes, so there are no Shape/Gather nodes.  Detect.bias_init is not
      applied (the identical box-bias tensors would become Identity nodes).

  transformer_10k
      A deep, narrow transformer (d_model 64, 4 heads, d_ff 128, vocab 1000,
      context 256) exported with
      do_constant_folding=False and a dynamic "seq" axis so that the
      Shape/Gather/Unsqueeze/Concat shape-computation ops stay in the graph.
      100 layers by default (~10.5k nodes, ~15 MB; export takes ~1 min).
      Used as a >= 10,000-node graph for importer/analysis benchmarks.
      Linear weights appear behind runtime Transpose nodes (no folding).

BatchNorm/LayerNorm layers get seeded random parameters instead of torch's
1/0 defaults: otherwise the exporter de-duplicates the identical tensors and
re-creates them with Identity nodes (--default-norm-init keeps the defaults).

Usage:
  scripts/export_models.py --model resnet18 --out /tmp/wg-models/resnet18.onnx
  scripts/export_models.py --model mobilenet_v2 --out examples/mobilenet_v2.onnx
  scripts/export_models.py --all --out-dir /tmp/wg-models

For every export the script prints: path, bytes, node count, number of
initializers and total initializer elements (plus wall time and peak RSS).
"""

import argparse
import gc
import math
import os
import resource
import sys
import time
import warnings

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 13
SEED = 0
DEFAULT_10K_LAYERS = 100  # ~105 nodes per layer -> ~10.5k nodes

VISION_MODELS = ("resnet18", "resnet50", "mobilenet_v2")
ALL_MODELS = VISION_MODELS + ("cmsis_cifar10", "yolov8n", "gpt2_small_like",
                             "transformer_10k")


# --------------------------------------------------------------------------
# Plain-torch transformer building blocks (no nn.MultiheadAttention /
# nn.TransformerEncoderLayer, so the exported graph is plain, predictable
# MatMul/Softmax/LayerNorm ops and no fused fast paths are taken).
# --------------------------------------------------------------------------


class CausalSelfAttention(nn.Module):
    """GPT-2 style attention: fused qkv projection, causal mask, out proj."""

    def __init__(self, d_model, n_heads):
        super().__init__()
        assert d_model % n_heads == 0
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x, mask):
        # x: [B, T, C]; mask: bool [T, T], True where attention is allowed.
        # Shapes are taken from the tensor at run time so that, with a
        # dynamic axis, the exporter emits Shape/Gather/Unsqueeze/Concat.
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q = q.reshape(b, t, self.n_heads, self.d_head).transpose(1, 2)
        k = k.reshape(b, t, self.n_heads, self.d_head).transpose(1, 2)
        v = v.reshape(b, t, self.n_heads, self.d_head).transpose(1, 2)
        att = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / math.sqrt(self.d_head))
        att = att.masked_fill(~mask, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = torch.matmul(att, v)  # [B, H, T, Dh]
        y = y.transpose(1, 2).reshape(b, t, c)
        return self.proj(y)


class MLP(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.fc = nn.Linear(d_model, d_ff)
        self.proj = nn.Linear(d_ff, d_model)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x)))


class Block(nn.Module):
    """Pre-LayerNorm transformer decoder block (GPT-2 layout)."""

    def __init__(self, d_model, n_heads, d_ff):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = MLP(d_model, d_ff)

    def forward(self, x, mask):
        x = x + self.attn(self.ln1(x), mask)
        x = x + self.mlp(self.ln2(x))
        return x


class DecoderLM(nn.Module):
    """Decoder-only LM: token + learned positional embedding, N blocks,
    final LayerNorm, untied lm_head."""

    def __init__(self, vocab, context, d_model, n_heads, d_ff, n_layers):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab, d_model)
        self.pos_emb = nn.Embedding(context, d_model)
        self.blocks = nn.ModuleList(
            [Block(d_model, n_heads, d_ff) for _ in range(n_layers)]
        )
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab)  # untied from tok_emb
        # Causal mask for the full context; sliced to T in forward.  Not a
        # parameter and not persistent in the state dict.  Trilu is opset 14,
        # so the mask is precomputed rather than built with torch.tril.
        mask = torch.tril(torch.ones(context, context, dtype=torch.bool))
        self.register_buffer("causal_mask", mask, persistent=False)

    def forward(self, input_ids):
        t = input_ids.shape[1]
        # Position ids = cumsum(ones_like(input_ids)) - 1 (the way HF derives
        # them from an attention mask) rather than torch.arange: with fixed
        # shapes an arange-based lookup is constant-folded into a
        # [T, d_model] constant, dropping the full [context, d_model]
        # positional table from the initializers.  torch 1.13's constant
        # folder does not evaluate CumSum, so the Gather from the full table
        # stays (export checks that all torch params appear as initializers).
        pos = torch.cumsum(torch.ones_like(input_ids), dim=1) - 1
        x = self.tok_emb(input_ids) + self.pos_emb(pos)
        mask = self.causal_mask[:t, :t]
        for blk in self.blocks:
            x = blk(x, mask)
        return self.lm_head(self.ln_f(x))


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def peak_rss_mib():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def count_nodes(graph):
    """Node count of a graph including nodes of nested subgraphs."""
    n = 0
    for node in graph.node:
        n += 1
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                n += count_nodes(attr.g)
            elif attr.type == onnx.AttributeProto.GRAPHS:
                for g in attr.graphs:
                    n += count_nodes(g)
    return n


def model_stats(path):
    """Load the exported file (without external data) and summarise it."""
    m = onnx.load(path, load_external_data=False)
    g = m.graph
    op_counts = {}
    for node in g.node:
        op_counts[node.op_type] = op_counts.get(node.op_type, 0) + 1
    init_elems = sum(math.prod(t.dims) for t in g.initializer)
    stats = {
        "bytes": os.path.getsize(path),
        "nodes": count_nodes(g),
        "initializers": len(g.initializer),
        "init_elements": init_elems,
        "op_counts": op_counts,
        "external": any(
            t.data_location == onnx.TensorProto.EXTERNAL for t in g.initializer
        ),
    }
    del m
    gc.collect()
    return stats


def export(model, args, path, input_names, output_names, dynamic_axes,
           do_constant_folding, training):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with warnings.catch_warnings():
        # PRESERVE + constant folding triggers an advisory warning; the model
        # is in eval mode so constant folding is safe here.
        warnings.filterwarnings(
            "ignore", message="It is recommended that constant folding be turned off"
        )
        with torch.no_grad():
            torch.onnx.export(
                model,
                args,
                path,
                export_params=True,
                opset_version=OPSET,
                training=training,
                do_constant_folding=do_constant_folding,
                input_names=input_names,
                output_names=output_names,
                dynamic_axes=dynamic_axes,
            )


# --------------------------------------------------------------------------
# Per-model exporters
# --------------------------------------------------------------------------


def randomize_norm_layers(model, seed=SEED):
    """Give every BatchNorm / LayerNorm layer distinct, plausible random
    parameters (and BN running statistics).

    torch initialises norm layers to weight=1, bias=0 (BN also
    running_mean=0, running_var=1): identical tensors across layers.
    torch.onnx.export (1.13, eval-mode model) de-duplicates initializers by
    value and re-creates the duplicates with Identity nodes, which would add
    ~70 meaningless Identity nodes to resnet18 and 48 to gpt2_small_like.
    Random values avoid that and look like a trained model.
    """
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                n = m.num_features
                m.weight.copy_(torch.rand(n, generator=g) + 0.5)
                m.bias.copy_(torch.randn(n, generator=g) * 0.1)
                m.running_mean.copy_(torch.randn(n, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(n, generator=g) + 0.5)
            elif isinstance(m, nn.LayerNorm) and m.elementwise_affine:
                shape = m.weight.shape
                m.weight.copy_(torch.rand(shape, generator=g) + 0.5)
                m.bias.copy_(torch.randn(shape, generator=g) * 0.1)


def export_vision(name, path, dynamic_batch, default_norm_init=False):
    import torchvision

    torch.manual_seed(SEED)
    model = getattr(torchvision.models, name)(weights=None).eval()
    if not default_norm_init:
        randomize_norm_layers(model)
    x = torch.randn(1, 3, 224, 224)
    dyn = {"input": {0: "batch"}, "logits": {0: "batch"}} if dynamic_batch else None
    export(model, (x,), path, ["input"], ["logits"], dyn,
           do_constant_folding=True, training=torch.onnx.TrainingMode.PRESERVE)
    n_bn_torch = sum(isinstance(m, nn.BatchNorm2d) for m in model.modules())
    return {"torch_bn_modules": n_bn_torch}


def export_gpt2_small_like(path, seq_len=128, default_norm_init=False):
    torch.manual_seed(SEED)
    model = DecoderLM(vocab=50257, context=1024, d_model=768, n_heads=12,
                      d_ff=3072, n_layers=12).eval()
    if not default_norm_init:
        randomize_norm_layers(model)
    n_params = sum(p.numel() for p in model.parameters())
    ids = torch.randint(0, 50257, (1, seq_len), dtype=torch.long)
    export(model, (ids,), path, ["input_ids"], ["logits"], None,
           do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
    return {"torch_params": n_params}


def export_transformer_10k(path, n_layers=DEFAULT_10K_LAYERS, seq_len=32,
                           default_norm_init=False):
    torch.manual_seed(SEED)
    model = DecoderLM(vocab=1000, context=256, d_model=64, n_heads=4,
                      d_ff=128, n_layers=n_layers).eval()
    if not default_norm_init:
        randomize_norm_layers(model)
    n_params = sum(p.numel() for p in model.parameters())
    ids = torch.randint(0, 1000, (1, seq_len), dtype=torch.long)
    dyn = {"input_ids": {1: "seq"}, "logits": {1: "seq"}}
    export(model, (ids,), path, ["input_ids"], ["logits"], dyn,
           do_constant_folding=False, training=torch.onnx.TrainingMode.EVAL)
    return {"torch_params": n_params, "layers": n_layers}


class CmsisCifar10(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 5, padding=2)
        self.pool = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.fc = nn.Linear(64 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = self.pool(F.relu(self.conv3(x)))
        return self.fc(torch.flatten(x, 1))


def export_cmsis_cifar10(path):
    torch.manual_seed(SEED)
    model = CmsisCifar10().eval()
    x = torch.randn(1, 3, 32, 32)
    export(model, (x,), path, ["input"], ["logits"], None,
           do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
    return {"torch_params": sum(p.numel() for p in model.parameters())}


# --------------------------------------------------------------------------
# YOLOv8n (Ultralytics YOLOv8 detection, "n" scale) in plain torch, written
# from the published architecture (ultralytics/cfg/models/v8/yolov8.yaml and
# the Conv / C2f / Bottleneck / SPPF / Detect / DFL modules).
# --------------------------------------------------------------------------


def yolo_width(c, width=0.25, max_channels=1024):
    """Channel count at a given scale: ceil(min(c, max) * width / 8) * 8."""
    return int(math.ceil(min(c, max_channels) * width / 8) * 8)


def yolo_depth(n, depth=0.33):
    """Repeat count at a given scale: max(round(n * depth), 1)."""
    return max(round(n * depth), 1)


class YoloConv(nn.Module):
    """Conv2d (no bias, 'same' padding k//2) -> BatchNorm2d (eps 1e-3) -> SiLU."""

    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2, eps=1e-3, momentum=0.03)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class YoloBottleneck(nn.Module):
    """Two 3x3 YoloConvs (hidden width = c2 * e) with an optional residual."""

    def __init__(self, c1, c2, shortcut=True, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = YoloConv(c1, c_, 3, 1)
        self.cv2 = YoloConv(c_, c2, 3, 1)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C2f(nn.Module):
    """CSP bottleneck with 2 convs: cv1 (1x1, c1 -> 2c) split into two halves,
    n Bottlenecks (e=1.0) chained on the second half, every intermediate
    concatenated ((2 + n) * c channels) and fused by cv2 (1x1 -> c2)."""

    def __init__(self, c1, c2, n=1, shortcut=False, e=0.5):
        super().__init__()
        self.c = int(c2 * e)
        self.cv1 = YoloConv(c1, 2 * self.c, 1, 1)
        self.cv2 = YoloConv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(
            YoloBottleneck(self.c, self.c, shortcut, e=1.0) for _ in range(n))

    def forward(self, x):
        # split with explicit sizes (not chunk): torch 1.13 exports chunk as
        # Shape/Gather/Slice arithmetic, split as one constant-size Split.
        y = list(self.cv1(x).split((self.c, self.c), 1))
        for m in self.m:
            y.append(m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    """Spatial pyramid pooling, fast: 1x1 conv to c1/2, three chained
    MaxPool 5x5/1 (pad 2), concat of all four, 1x1 conv to c2."""

    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = YoloConv(c1, c_, 1, 1)
        self.cv2 = YoloConv(c_ * 4, c2, 1, 1)
        self.m = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        y = [self.cv1(x)]
        for _ in range(3):
            y.append(self.m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class DFL(nn.Module):
    """Distribution Focal Loss integral: softmax over reg_max bins, then the
    expectation via a fixed 1x1 conv with weights 0..reg_max-1."""

    def __init__(self, c1=16):
        super().__init__()
        self.c1 = c1
        self.conv = nn.Conv2d(c1, 1, 1, bias=False).requires_grad_(False)
        with torch.no_grad():
            self.conv.weight.copy_(
                torch.arange(c1, dtype=torch.float).view(1, c1, 1, 1))

    def forward(self, x):
        b, _, a = x.shape  # [B, 4 * c1, A]; static sizes under tracing
        x = x.view(b, 4, self.c1, a).transpose(2, 1).softmax(1)  # [B,c1,4,A]
        return self.conv(x).view(b, 4, a)


class Detect(nn.Module):
    """Decoupled YOLOv8 head over P3/P4/P5 (strides 8/16/32).

    Per level: box branch Conv3x3(c2) -> Conv3x3(c2) -> Conv2d 1x1 (4*reg_max)
    and class branch Conv3x3(c3) -> Conv3x3(c3) -> Conv2d 1x1 (nc), with
    c2 = max(16, ch[0] // 4, 4 * reg_max), c3 = max(ch[0], min(nc, 100)).
    Inference output: [B, 4 + nc, A] = (cx, cy, w, h in input pixels from the
    DFL distances around the anchor centres, sigmoid class scores).
    """

    def __init__(self, nc, ch, strides, imgsz, reg_max=16):
        super().__init__()
        self.nc = nc
        self.reg_max = reg_max
        self.no = nc + 4 * reg_max
        c2 = max(16, ch[0] // 4, 4 * reg_max)
        c3 = max(ch[0], min(nc, 100))
        self.cv2 = nn.ModuleList(
            nn.Sequential(YoloConv(x, c2, 3), YoloConv(c2, c2, 3),
                          nn.Conv2d(c2, 4 * reg_max, 1)) for x in ch)
        self.cv3 = nn.ModuleList(
            nn.Sequential(YoloConv(x, c3, 3), YoloConv(c3, c3, 3),
                          nn.Conv2d(c3, nc, 1)) for x in ch)
        self.dfl = DFL(reg_max)
        # Ultralytics' Detect.bias_init() (box biases 1.0, class biases at a
        # per-stride prior) is deliberately not applied: the three identical
        # box-bias tensors would be de-duplicated by the exporter into
        # Identity nodes, and with random weights the prior means nothing.
        # Anchor centres (grid cell + 0.5) and per-anchor strides, fixed for
        # the static input size (make_anchors); constants in the graph.
        pts, strd = [], []
        for s in strides:
            h, w = imgsz // s, imgsz // s
            sy, sx = torch.meshgrid(torch.arange(h, dtype=torch.float) + 0.5,
                                    torch.arange(w, dtype=torch.float) + 0.5,
                                    indexing="ij")
            pts.append(torch.stack((sx, sy), -1).view(-1, 2))
            strd.append(torch.full((h * w, 1), float(s)))
        self.register_buffer("anchors", torch.cat(pts).transpose(0, 1)
                             .unsqueeze(0), persistent=False)  # [1, 2, A]
        self.register_buffer("strides", torch.cat(strd).transpose(0, 1),
                             persistent=False)  # [1, A]

    def forward(self, xs):
        # Reshapes use explicit sizes (no -1) so that the graph's Reshape
        # targets are fully static constants.
        feats = []
        for i, x in enumerate(xs):
            b, _, h, w = x.shape
            y = torch.cat((self.cv2[i](x), self.cv3[i](x)), 1)
            feats.append(y.view(b, self.no, h * w))
        x = torch.cat(feats, 2)  # [B, no, A]
        box, cls = x.split((4 * self.reg_max, self.nc), 1)
        lt, rb = self.dfl(box).split((2, 2), 1)  # distances, in stride units
        x1y1 = self.anchors - lt
        x2y2 = self.anchors + rb
        dbox = torch.cat(((x1y1 + x2y2) / 2, x2y2 - x1y1), 1) * self.strides
        return torch.cat((dbox, cls.sigmoid()), 1)


class YoloV8(nn.Module):
    """YOLOv8 detection model (yolov8.yaml) at a given depth/width scale.

    Backbone (layer index: module, full-scale args):
       0 Conv 64 3x3/2     1 Conv 128 3x3/2     2 C2f 128 x3 shortcut
       3 Conv 256 3x3/2    4 C2f 256 x6 shortcut (P3)
       5 Conv 512 3x3/2    6 C2f 512 x6 shortcut (P4)
       7 Conv 1024 3x3/2   8 C2f 1024 x3 shortcut   9 SPPF 1024 k5 (P5)
    Head (PAN-FPN, C2f without shortcut):
      10 Upsample x2  11 Concat [10, 6]  12 C2f 512 x3
      13 Upsample x2  14 Concat [13, 4]  15 C2f 256 x3   -> P3/8
      16 Conv 256 3x3/2  17 Concat [16, 12]  18 C2f 512 x3 -> P4/16
      19 Conv 512 3x3/2  20 Concat [19, 9]   21 C2f 1024 x3 -> P5/32
      22 Detect [15, 18, 21]
    """

    def __init__(self, nc=80, depth=0.33, width=0.25, max_channels=1024,
                 imgsz=640):
        super().__init__()

        def ch(c):
            return yolo_width(c, width, max_channels)

        def n(k):
            return yolo_depth(k, depth)

        c64, c128, c256, c512, c1024 = (ch(c) for c in (64, 128, 256, 512, 1024))
        # Backbone
        self.b0 = YoloConv(3, c64, 3, 2)
        self.b1 = YoloConv(c64, c128, 3, 2)
        self.b2 = C2f(c128, c128, n(3), shortcut=True)
        self.b3 = YoloConv(c128, c256, 3, 2)
        self.b4 = C2f(c256, c256, n(6), shortcut=True)
        self.b5 = YoloConv(c256, c512, 3, 2)
        self.b6 = C2f(c512, c512, n(6), shortcut=True)
        self.b7 = YoloConv(c512, c1024, 3, 2)
        self.b8 = C2f(c1024, c1024, n(3), shortcut=True)
        self.b9 = SPPF(c1024, c1024, 5)
        # Head
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.h12 = C2f(c1024 + c512, c512, n(3))
        self.h15 = C2f(c512 + c256, c256, n(3))
        self.h16 = YoloConv(c256, c256, 3, 2)
        self.h18 = C2f(c256 + c512, c512, n(3))
        self.h19 = YoloConv(c512, c512, 3, 2)
        self.h21 = C2f(c512 + c1024, c1024, n(3))
        self.detect = Detect(nc, (c256, c512, c1024), (8, 16, 32), imgsz)

    def forward(self, x):
        x = self.b2(self.b1(self.b0(x)))
        p3 = self.b4(self.b3(x))
        p4 = self.b6(self.b5(p3))
        p5 = self.b9(self.b8(self.b7(p4)))
        h12 = self.h12(torch.cat((self.up(p5), p4), 1))
        h15 = self.h15(torch.cat((self.up(h12), p3), 1))
        h18 = self.h18(torch.cat((self.h16(h15), h12), 1))
        h21 = self.h21(torch.cat((self.h19(h18), p5), 1))
        return self.detect([h15, h18, h21])


def fused_param_count(model):
    """Parameters after folding every BatchNorm into its conv (what
    Ultralytics reports as 'summary (fused)'): each BN's 2*C affine
    parameters become the conv's C-element bias."""
    n = sum(p.numel() for p in model.parameters())
    n -= sum(m.num_features for m in model.modules()
             if isinstance(m, nn.BatchNorm2d))
    return n


def export_yolov8n(path, imgsz=640, default_norm_init=False):
    torch.manual_seed(SEED)
    model = YoloV8(nc=80, depth=0.33, width=0.25, max_channels=1024,
                   imgsz=imgsz).eval()
    if not default_norm_init:
        randomize_norm_layers(model)
    x = torch.randn(1, 3, imgsz, imgsz)
    # Conv MACs (output elements * Cin/groups * kh * kw, bias adds not
    # counted): what thop, and so Ultralytics' "GFLOPs" (= 2 * MACs), counts.
    conv_macs = [0]

    def count_macs(mod, inp, out):
        conv_macs[0] += out.numel() * mod.weight[0].numel()

    hooks = [m.register_forward_hook(count_macs) for m in model.modules()
             if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        out_shape = tuple(model(x).shape)
    for h in hooks:
        h.remove()
    # training=EVAL: torch folds every Conv+BatchNormalization pair into the
    # conv's weight and bias, as a deployed (Ultralytics-exported) model has.
    export(model, (x,), path, ["images"], ["output0"], None,
           do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
    return {
        "torch_params": sum(p.numel() for p in model.parameters()),
        "fused_params": fused_param_count(model),
        "torch_bn_modules": sum(isinstance(m, nn.BatchNorm2d)
                                for m in model.modules()),
        "output_shape": out_shape,
        "conv_macs": conv_macs[0],
    }


def run_one(name, path, ns):
    t0 = time.monotonic()
    if name in VISION_MODELS:
        extra = export_vision(name, path, ns.dynamic_batch, ns.default_norm_init)
    elif name == "gpt2_small_like":
        extra = export_gpt2_small_like(path, ns.seq_len or 128,
                                       ns.default_norm_init)
    elif name == "cmsis_cifar10":
        extra = export_cmsis_cifar10(path)
    elif name == "yolov8n":
        extra = export_yolov8n(path, default_norm_init=ns.default_norm_init)
    elif name == "transformer_10k":
        extra = export_transformer_10k(path, ns.layers, ns.seq_len or 32,
                                       ns.default_norm_init)
    else:
        raise SystemExit(f"unknown model {name!r}")
    gc.collect()
    dt = time.monotonic() - t0
    st = model_stats(path)

    print(f"model:         {name}")
    print(f"path:          {path}")
    print(f"bytes:         {st['bytes']} ({st['bytes'] / 2**20:.1f} MiB)")
    print(f"nodes:         {st['nodes']}")
    print(f"initializers:  {st['initializers']}")
    print(f"init elements: {st['init_elements']}")
    for k, v in extra.items():
        print(f"{k + ':':<14} {v}")
    bn = st["op_counts"].get("BatchNormalization", 0)
    if name in VISION_MODELS:
        print(f"BatchNorm:     {bn} BatchNormalization nodes "
              f"(torch has {extra['torch_bn_modules']})")
    top = sorted(st["op_counts"].items(), key=lambda kv: -kv[1])[:8]
    print("top ops:       " + ", ".join(f"{k}={v}" for k, v in top))
    print(f"export time:   {dt:.1f} s")
    print(f"peak RSS:      {peak_rss_mib():.0f} MiB")
    print(flush=True)

    # Sanity checks: fail loudly rather than silently ship a wrong model.
    ok = True
    if st["external"]:
        print(f"ERROR: {path} uses external data; expected a single file",
              file=sys.stderr)
        ok = False
    if name in VISION_MODELS and bn != extra["torch_bn_modules"]:
        print(f"ERROR: expected {extra['torch_bn_modules']} BatchNormalization "
              f"nodes, found {bn} (BN was folded?)", file=sys.stderr)
        ok = False
    if not ns.default_norm_init and st["op_counts"].get("Identity", 0):
        print(f"ERROR: unexpected Identity nodes in {path}", file=sys.stderr)
        ok = False
    if (name == "gpt2_small_like" and not ns.default_norm_init
            and st["init_elements"] != extra["torch_params"]):
        print(f"ERROR: initializer elements {st['init_elements']} != torch "
              f"params {extra['torch_params']}", file=sys.stderr)
        ok = False
    if name == "yolov8n":
        if bn:
            print(f"ERROR: {bn} BatchNormalization nodes left in {path}; "
                  f"expected all folded into Conv", file=sys.stderr)
            ok = False
        if st["init_elements"] != extra["fused_params"]:
            print(f"ERROR: initializer elements {st['init_elements']} != "
                  f"fused torch params {extra['fused_params']}", file=sys.stderr)
            ok = False
        if extra["output_shape"] != (1, 84, 8400):
            print(f"ERROR: output shape {extra['output_shape']} != "
                  f"(1, 84, 8400)", file=sys.stderr)
            ok = False
    if name == "transformer_10k" and st["nodes"] < 10000:
        # Only an error with the default layer count; a smaller --layers is
        # taken to be deliberate.
        default = ns.layers == DEFAULT_10K_LAYERS
        print(f"{'ERROR' if default else 'WARNING'}: transformer_10k has only "
              f"{st['nodes']} nodes (< 10000); increase --layers",
              file=sys.stderr)
        ok = ok and not default
    return ok


def main(argv=None):
    p = argparse.ArgumentParser(
        description="Export ONNX models (random weights, seed 0, opset 13) "
                    "used by winglet's tests and benchmarks.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="models: " + ", ".join(ALL_MODELS),
    )
    sel = p.add_mutually_exclusive_group(required=True)
    sel.add_argument("--model", choices=ALL_MODELS, help="model to export")
    sel.add_argument("--all", action="store_true",
                     help="export every model into --out-dir as NAME.onnx")
    p.add_argument("--out", help="output .onnx path (with --model; default "
                                 "NAME.onnx in --out-dir)")
    p.add_argument("--out-dir", default=".",
                   help="output directory for --all or when --out is omitted "
                        "(default: current directory)")
    p.add_argument("--dynamic-batch", action="store_true",
                   help="vision models: make the batch dim symbolic ('batch')")
    p.add_argument("--default-norm-init", action="store_true",
                   help="keep torch's default BatchNorm/LayerNorm init (1/0) "
                        "instead of seeded random values; the exporter then "
                        "de-duplicates the identical tensors and inserts "
                        "Identity nodes")
    p.add_argument("--layers", type=int, default=DEFAULT_10K_LAYERS,
                   help=f"transformer_10k: number of layers (default "
                        f"{DEFAULT_10K_LAYERS}, about 10.5k nodes)")
    p.add_argument("--seq-len", type=int, default=None,
                   help="sequence length of the example input (default 128 "
                        "for gpt2_small_like, 32 for transformer_10k)")
    ns = p.parse_args(argv)

    if ns.all and ns.out:
        p.error("--out cannot be combined with --all; use --out-dir")

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    names = ALL_MODELS if ns.all else (ns.model,)
    ok = True
    for name in names:
        path = ns.out if (ns.out and not ns.all) else os.path.join(
            ns.out_dir, name + ".onnx")
        ok = run_one(name, path, ns) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
