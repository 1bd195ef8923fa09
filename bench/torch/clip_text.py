"""A pure-torch CLIP text transformer (transformers' CLIPTextModel, without transformers): token + position
embeddings, pre-LayerNorm causal self-attention blocks with an MLP (the config's hidden_act: gelu or quick_gelu),
final LayerNorm. Parameter names follow CLIPTextModel's state dict, so a text_encoder/model.safetensors loads as it is.
"""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVATIONS = {
    "gelu": F.gelu,
    "quick_gelu": lambda x: x * torch.sigmoid(1.702 * x),
}


class Attention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        if width % heads:
            raise ValueError(f"hidden_size {width} is not divisible by num_attention_heads {heads}")
        self.heads, self.head_dim = heads, width // heads
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(width, width) for _ in range(4))

    def forward(self, x, mask):
        b, n, d = x.shape
        split = lambda t: t.view(b, n, self.heads, self.head_dim).transpose(1, 2)
        q = split(self.q_proj(x) * (1.0 / math.sqrt(self.head_dim)))
        k, v = split(self.k_proj(x)), split(self.v_proj(x))
        weights = torch.softmax(q @ k.transpose(-1, -2) + mask, dim=-1)
        return self.out_proj((weights @ v).transpose(1, 2).reshape(b, n, d))


class Mlp(nn.Module):
    def __init__(self, width, hidden, act):
        super().__init__()
        self.fc1, self.fc2, self.act = nn.Linear(width, hidden), nn.Linear(hidden, width), ACTIVATIONS[act]

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        width, eps = cfg["hidden_size"], cfg.get("layer_norm_eps", 1e-5)
        self.layer_norm1 = nn.LayerNorm(width, eps=eps)
        self.self_attn = Attention(width, cfg["num_attention_heads"])
        self.layer_norm2 = nn.LayerNorm(width, eps=eps)
        self.mlp = Mlp(width, cfg["intermediate_size"], cfg.get("hidden_act", "quick_gelu"))

    def forward(self, x, mask):
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.mlp(self.layer_norm2(x))


class Embeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.token_embedding = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.position_embedding = nn.Embedding(cfg["max_position_embeddings"], cfg["hidden_size"])


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layers = nn.ModuleList(Layer(cfg) for _ in range(cfg["num_hidden_layers"]))


class TextTransformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embeddings = Embeddings(cfg)
        self.encoder = Encoder(cfg)
        self.final_layer_norm = nn.LayerNorm(cfg["hidden_size"], eps=cfg.get("layer_norm_eps", 1e-5))


class ClipTextModel(nn.Module):
    """last_hidden_state of token ids ([B, L] -> [B, L, D]) or of inputs_embeds (token embeddings, [B, L, D])."""

    def __init__(self, cfg):
        super().__init__()
        act = cfg.get("hidden_act", "quick_gelu")
        if act not in ACTIVATIONS:
            raise ValueError(f'hidden_act "{act}" is not supported, expected one of {sorted(ACTIVATIONS)}')
        self.config = cfg
        self.text_model = TextTransformer(cfg)

    @staticmethod
    def from_config_file(path):
        with open(path) as f:
            return ClipTextModel(json.load(f))

    def random_init(self, seed=0, std=0.02):
        """N(0, std) weights, zero biases, unit LayerNorm gains (what a benchmark needs: the config's shapes)."""
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if "layer_norm" in name:
                    p.fill_(1.0 if name.endswith("weight") else 0.0)
                elif name.endswith("bias"):
                    p.zero_()
                else:
                    p.copy_(torch.randn(p.shape, generator=g) * std)
        return self

    def load_safetensors(self, path):
        """Loads CLIPTextModel weights (text_model.* names; position_ids and other buffers are ignored)."""
        import safetensors.torch  # the real package or ../shared/bench/torchref/stubs
        state = {k: v for k, v in safetensors.torch.load_file(path).items() if not k.endswith("position_ids")}
        self.load_state_dict({k: v.float() for k, v in state.items()}, strict=True)
        return self

    def embed(self, ids):
        return self.text_model.embeddings.token_embedding(ids)

    def forward(self, ids=None, inputs_embeds=None, hidden_states=None):
        """last_hidden_state; with a list as hidden_states, also appends the embeddings and every layer's output."""
        tm = self.text_model
        x = self.embed(ids) if inputs_embeds is None else inputs_embeds
        n = x.shape[1]
        x = x + tm.embeddings.position_embedding.weight[:n]
        mask = torch.full((n, n), float("-inf"), dtype=x.dtype).triu(1)
        if hidden_states is not None:
            hidden_states.append(x)
        for layer in tm.encoder.layers:
            x = layer(x, mask)
            if hidden_states is not None:
                hidden_states.append(x)
        return tm.final_layer_norm(x)
