// A small device for the cost-model tests, with round numbers so expected values can be worked
// out by hand: an NPU (int8 2 Tops/s, fp16 1 Tops/s, efficiency 0.5, 10 us dispatch, no Gather,
// Conv kernel <= 3, fuses Conv+Relu, 2:4 sparsity at 2x, decode 4 ops per LUT element and 2 per
// dequantized element) and a CPU (every op, 1 us dispatch, no sparsity support, default decode of
// 1 op per element); 1 GB/s everywhere; 10 pJ/B DRAM, 1 pJ/B SRAM, 20 pJ/B flash; weights in RAM
// (no mcu unit) unless `memory_extra` says otherwise.
#pragma once

#include "model.hpp"

// `npu_extra` is appended to the NPU's table (e.g. `dispatch = "per_segment"`), `memory_extra` to
// [memory] (e.g. `weights_in = "storage"`).
inline winglet::device_spec::DeviceSpec test_soc(const std::string& npu_extra = "", const std::string& memory_extra = "") {
    static const char* const text = R"(
format = 1
[device]
id = "test-soc"
name = "Test SoC"
vendor = "Test"
description = "NPU + CPU with round numbers"
[memory]
ram_bytes = { value = 1e6, source = "t" }
storage_bytes = { value = 2e6, source = "t" }
ram_bandwidth = { value = 1e9, source = "t" }
[memory.energy_pj_per_byte]
dram = { value = 10, source = "t" }
sram = { value = 1, source = "t" }
flash = { value = 20, source = "t" }

[[unit]]
name = "npu"
kind = "npu"
bandwidth = { value = 1e9, source = "t" }
dispatch_us = { value = 10, source = "t" }
static_power_w = { value = 1, source = "t" }
sparsity_2_4 = true
decode_ops_per_element = { lut = { value = 4, source = "t" }, dequantize = { value = 2, source = "t" } }
ops = ["Conv", "Relu", "Add"]
[unit.peak_ops]
int8 = { value = 2e12, source = "t" }
fp16 = { value = 1e12, source = "t" }
[unit.energy_pj_per_mac]
int8 = { value = 0.5, source = "t" }
fp16 = { value = 1, source = "t" }
[unit.constraints.Conv]
kernel_max = 3
source = "t"
[unit.efficiency]
default = { value = 0.5, source = "t" }

[[unit]]
name = "cpu"
kind = "cpu"
bandwidth = { value = 1e9, source = "t" }
dispatch_us = { value = 1, source = "t" }
static_power_w = { value = 2, source = "t" }
ops = ["*"]
[unit.peak_ops]
fp32 = { value = 1e10, source = "t" }
fp16 = { value = 2e10, source = "t" }
int8 = { value = 4e10, source = "t" }
[unit.energy_pj_per_mac]
fp32 = { value = 4, source = "t" }
fp16 = { value = 2, source = "t" }
int8 = { value = 1, source = "t" }
[unit.efficiency]
default = { value = 1, source = "t" }

[placement]
preference = ["npu", "cpu"]

[[fusion]]
unit = "npu"
pattern = ["Conv", "Relu"]

[transition]
fixed_us = { value = 5, source = "t" }
bandwidth = { value = 1e9, source = "t" }

[[source]]
key = "t"
title = "test figures"
says = "round numbers for hand calculation"
)";
    std::string spec = text;
    const std::string npu = "dispatch_us = { value = 10, source = \"t\" }\n";
    spec.insert(spec.find(npu) + npu.size(), npu_extra.empty() ? "" : npu_extra + "\n");
    const std::string memory = "ram_bandwidth = { value = 1e9, source = \"t\" }\n";
    spec.insert(spec.find(memory) + memory.size(), memory_extra.empty() ? "" : memory_extra + "\n");
    return winglet::device_spec::parse_device_spec(spec, "test-soc.toml");
}

// An op with the fields the tests vary; the rest default to 0 / none.
inline winglet::spec_target::OpDesc op(std::string type, winglet::device_spec::DType dtype,
                                       double macs = 0, double flops = 0) {
    winglet::spec_target::OpDesc d;
    d.type = std::move(type);
    d.dtype = dtype;
    d.macs = macs;
    d.flops = flops;
    return d;
}
