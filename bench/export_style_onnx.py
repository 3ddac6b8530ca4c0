"""Exports tsgluon's style-transfer network (examples/style_transfer_net.ts, TransformerNet) to ONNX
with its weights, for the onnxruntime rows of bench/peers_bench.ts.

Usage: python3 export_style_onnx.py DIR HEIGHT WIDTH

DIR holds what peers_bench.ts wrote: weights.json, a list of {"name", "shape"} in the order of
tsgluon's collectParams() (per layer: conv weight, conv bias, then InstanceNorm gamma, beta), and
weights.bin, the same parameters as raw little-endian float32, concatenated in that order. The
script defines the same architecture in PyTorch (Debian's python3-torch), copies the weights in,
and writes DIR/style.onnx (opset 13, fixed input shape 1x3xHEIGHTxWIDTH, input "x", output "y").

The PyTorch modules mirror the TypeScript blocks one for one:
  ConvLayer          = ReflectionPad2d(k // 2) -> Conv2d(k, stride)       (ONNX Pad mode=reflect, Conv)
  InstanceNorm       = InstanceNorm2d(affine=True, eps=1e-5)              (ONNX InstanceNormalization)
  UpsampleConvLayer  = nearest upsampling x2 -> ConvLayer                 (ONNX Resize, nearest)
  ResidualBlock      = x + IN(conv3x3(ReLU(IN(conv3x3(x)))))
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn


class ConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.pad = nn.ReflectionPad2d(k // 2)
        self.conv = nn.Conv2d(cin, cout, k, stride)

    def forward(self, x):
        return self.conv(self.pad(x))


class UpsampleConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride, upsample):
        super().__init__()
        self.upsample = upsample
        self.conv = ConvLayer(cin, cout, k, stride)

    def forward(self, x):
        x = nn.functional.interpolate(x, scale_factor=self.upsample, mode='nearest')
        return self.conv(x)


def norm(c):
    return nn.InstanceNorm2d(c, affine=True, eps=1e-5)


class ResidualBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(ConvLayer(c, c, 3, 1), norm(c), nn.ReLU(), ConvLayer(c, c, 3, 1), norm(c))

    def forward(self, x):
        return x + self.body(x)


class TransformerNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [
            ConvLayer(3, 32, 9, 1), norm(32), nn.ReLU(),
            ConvLayer(32, 64, 3, 2), norm(64), nn.ReLU(),
            ConvLayer(64, 128, 3, 2), norm(128), nn.ReLU(),
        ]
        layers += [ResidualBlock(128) for _ in range(5)]
        layers += [
            UpsampleConvLayer(128, 64, 3, 1, 2), norm(64), nn.ReLU(),
            UpsampleConvLayer(64, 32, 3, 1, 2), norm(32), nn.ReLU(),
            ConvLayer(32, 3, 9, 1),
        ]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


# tsgluon's parameter name suffix for each PyTorch (module type, parameter) pair.
SUFFIX = {(nn.Conv2d, 'weight'): '_weight', (nn.Conv2d, 'bias'): '_bias',
          (nn.InstanceNorm2d, 'weight'): '_gamma', (nn.InstanceNorm2d, 'bias'): '_beta'}


def load_weights(net, directory):
    with open(os.path.join(directory, 'weights.json')) as f:
        entries = json.load(f)
    flat = np.fromfile(os.path.join(directory, 'weights.bin'), dtype='<f4')
    targets = [(type(module), pname, param)
               for module in net.modules() if not list(module.children())
               for pname, param in module.named_parameters(recurse=False)]
    if len(targets) != len(entries):
        sys.exit(f'export_style_onnx: tsgluon has {len(entries)} parameters, the PyTorch net {len(targets)}')
    offset = 0
    with torch.no_grad():
        for (kind, pname, param), entry in zip(targets, entries):
            shape = tuple(entry['shape'])
            if tuple(param.shape) != shape or not entry['name'].endswith(SUFFIX[(kind, pname)]):
                sys.exit(f"export_style_onnx: {entry['name']} {shape} does not match PyTorch's {kind.__name__}.{pname} {tuple(param.shape)}")
            size = int(np.prod(shape))
            param.copy_(torch.from_numpy(flat[offset:offset + size].reshape(shape).copy()))
            offset += size
    if offset != flat.size:
        sys.exit(f'export_style_onnx: weights.bin holds {flat.size} values, the parameters {offset}')


def main():
    directory, height, width = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.manual_seed(0)
    net = TransformerNet().eval()
    load_weights(net, directory)
    dummy = torch.zeros(1, 3, height, width)
    torch.onnx.export(net, dummy, os.path.join(directory, 'style.onnx'), input_names=['x'], output_names=['y'],
                      opset_version=13, do_constant_folding=True)
    print(f'torch {torch.__version__}: wrote style.onnx')


if __name__ == '__main__':
    main()
