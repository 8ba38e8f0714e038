"""Tests of autograd_core/viz: DOT pictures, rendering with Graphviz, and the backward trace."""

import os
import re
import shutil
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import engine, viz

NODE = re.compile(r"^\s*(\w+) \[(.*)\]$")
EDGE = re.compile(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$")
ATTRIBUTE = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(source):
    """The nodes ({id: attributes}) and edges ([(tail, head, attributes)]) of our DOT output;
    labels come back with real newlines."""
    nodes, edges = {}, []
    for line in source.splitlines():
        edge = EDGE.match(line)
        if edge:
            edges.append((edge[1], edge[2], _attributes(edge[3] or "")))
            continue
        node = NODE.match(line)
        if node and node[1] not in ("node", "edge", "graph"):
            nodes[node[1]] = _attributes(node[2])
    return nodes, edges


def _attributes(text):
    return {key: value.replace("\\n", "\n").replace('\\"', '"')
            for key, value in ATTRIBUTE.findall(text)}


@pytest.fixture
def graphviz_dot():
    """Tests that render need the Graphviz `dot` program: skipped where it is missing, except
    on CI (the `CI` variable set), where a missing `dot` is a failure."""
    if shutil.which("dot") is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but the Graphviz 'dot' program is missing: .ci/run installs "
                        "Debian's graphviz when dot is not on PATH")
        pytest.skip("the Graphviz 'dot' program is not installed (apt-get install graphviz)")


def small_graph(seed=0):
    """loss = sum(tanh(x @ w + b) * c); the same numbers every call, so it can be rebuilt."""
    rng = np.random.default_rng(seed)
    w = ag.tensor(rng.normal(size=(3, 2)), requires_grad=True, name="w")
    b = ag.tensor(rng.normal(size=(2,)), requires_grad=True, name="b")
    x = ag.tensor(rng.normal(size=(4, 3)), name="x")
    c = ag.tensor(rng.normal(size=(4, 2)))
    loss = ((x @ w + b).tanh() * c).sum()
    return loss, w, b


class Two(ag.Function):
    """A user-defined op with two outputs: (2x, 3x)."""

    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, ga, gb):
        return 2 * ga + 3 * gb


# -- forward picture ------------------------------------------------------------------------------
def test_forward_counts_ops_leaves_and_edges():
    loss, w, b = small_graph()
    nodes, edges = parse(viz.to_dot(loss, mode="forward"))
    ops = [attrs["label"] for attrs in nodes.values() if attrs.get("shape") == "ellipse"]
    assert sorted(ops) == ["Add", "MatMul", "Mul", "Sum", "Tanh"], ops
    leaves = [n for n, attrs in nodes.items() if n.startswith("leaf")]
    assert sorted(nodes[n]["label"].split("\n")[0] for n in leaves) == ["b", "w"]
    # every op has one output box; x (no grad) and c are constants of MatMul and Mul
    assert len([n for n in nodes if n.endswith("_out0")]) == 5
    assert sorted(nodes[n]["label"] for n in nodes if n.endswith("_const")) == ["constant"] * 2
    ids = {attrs["label"].split("\n")[0]: n for n, attrs in nodes.items()}
    pairs = {(tail, head) for tail, head, _ in edges}
    assert (ids["w"], ids["MatMul"]) in pairs and (ids["b"], ids["Add"]) in pairs
    assert (ids["MatMul"], ids["MatMul"] + "_out0") in pairs
    assert (ids["MatMul"] + "_out0", ids["Add"]) in pairs
    # 5 op->output, 4 output->op, 2 leaf->op, 2 constant->op
    assert len(edges) == 13, edges


def test_labels_show_shape_dtype_name_and_tiny_values():
    w = ag.tensor([1.5, -2.0], requires_grad=True, name="weight")
    big = ag.tensor(np.ones((3, 4), np.float32), requires_grad=True)
    loss = (w * 2.0).sum() + big.sum()
    nodes, _ = parse(viz.to_dot(loss, mode="forward"))
    labels = [attrs["label"] for attrs in nodes.values()]
    assert "weight\n(2,) float64\nvalue [1.5, -2.0]" in labels, labels
    assert "leaf (requires grad)\n(3, 4) float32" in labels, labels
    root = next(label for label in labels if label.startswith("root"))
    assert root == "root\n() float64\nvalue 11.0", root


def test_params_name_the_leaves_and_leaves_that_require_grad_are_filled():
    loss, w, b = small_graph()
    nodes, _ = parse(viz.to_dot(loss, params={"layer.weight": w, "layer.bias": b}))
    leaves = {attrs["label"].split("\n")[0]: attrs for n, attrs in nodes.items()
              if n.startswith("leaf")}
    assert set(leaves) == {"layer.weight", "layer.bias"}
    assert all(attrs["fillcolor"] == "lightblue" and "filled" in attrs["style"]
               for attrs in leaves.values())
    constant = ag.tensor([1.0, 2.0])
    nodes, _ = parse(viz.to_dot(constant))
    assert nodes["leaf0"]["label"].startswith("input") and "fillcolor" not in nodes["leaf0"]


def test_gradients_are_labelled_after_backward_and_the_legend_says_none_before():
    loss, w, b = small_graph()
    before, _ = parse(viz.to_dot(loss))
    assert "legend" in before and "no gradients yet" in before["legend"]["label"]
    assert not any("grad" in attrs["label"].split("\n")[-1] for n, attrs in before.items()
                   if n.startswith("leaf"))
    loss.backward()
    after, _ = parse(viz.to_dot(loss, mode="forward"))
    assert "legend" not in after
    grad_lines = {attrs["label"].split("\n")[0]: attrs["label"].split("\n")[-1]
                  for n, attrs in after.items() if n.startswith("leaf")}
    assert grad_lines["w"] == f"grad norm {np.linalg.norm(w.grad.data):.4g}", grad_lines
    assert grad_lines["b"] == "grad " + viz.labels.values(b.grad.data), grad_lines
    hidden, _ = parse(viz.to_dot(loss, show_grads=False))
    assert "legend" not in hidden
    assert not any("grad" in attrs["label"] for n, attrs in hidden.items() if n.startswith("leaf"))


def test_nan_and_inf_are_drawn_in_red():
    w = ag.tensor([1.0, np.nan], requires_grad=True, name="w")
    v = ag.tensor([1.0, 2.0], requires_grad=True, name="v")
    loss = (w.sum() + v.log().sum())
    nodes, _ = parse(viz.to_dot(loss))
    by_name = {attrs["label"].split("\n")[0]: attrs for attrs in nodes.values()}
    assert by_name["w"]["color"] == "red" and by_name["w"]["fontcolor"] == "red"
    assert "color" not in by_name["v"]
    assert nodes["seed"]["fontcolor"] == "red"  # the root's value is NaN too
    v.grad = ag.tensor([np.inf, 1.0])
    nodes, _ = parse(viz.to_dot(loss, mode="forward"))
    by_name = {attrs["label"].split("\n")[0]: attrs for attrs in nodes.values()}
    assert by_name["v"]["color"] == "red", by_name["v"]


def test_a_tensor_with_no_history_draws_its_single_leaf():
    x = ag.tensor([[1.0, 2.0]], requires_grad=True, name="x")
    for mode in viz.dot.MODES:
        nodes, edges = parse(viz.to_dot(x, mode=mode))
        leaves = [n for n in nodes if "leaf" in n]
        assert len(leaves) == 1 + (mode == "both") and edges == [], (mode, nodes, edges)
        assert nodes[leaves[0]]["label"].startswith("x\n(1, 2) float64")


# -- backward picture -----------------------------------------------------------------------------
def test_backward_nodes_are_vjps_numbered_in_engine_order_with_arrows_reversed():
    loss, w, b = small_graph()
    nodes, edges = parse(viz.to_dot(loss, mode="backward"))
    vjps = {n: attrs["label"].split("\n") for n, attrs in nodes.items() if n.startswith("op")}
    order = [lines[0] for lines in sorted(vjps.values(), key=lambda lines: lines[1])]
    assert order == ["SumBackward", "MulBackward", "TanhBackward", "AddBackward",
                     "MatMulBackward"], order
    visited = []
    previous = engine.set_step_hook(lambda node, g_out, g_in: visited.append(node.name))
    try:
        loss.backward()
    finally:
        engine.set_step_hook(previous)
    assert [name + "Backward" for name in visited] == order
    ids = {lines[0]: n for n, lines in vjps.items()}
    pairs = {(tail, head) for tail, head, _ in edges}
    assert ("seed", ids["SumBackward"]) in pairs
    assert (ids["SumBackward"], ids["MulBackward"]) in pairs  # root toward the leaves
    assert (ids["MulBackward"], ids["SumBackward"]) not in pairs
    leaf_of = {nodes[n]["label"].split("\n")[0]: n for n in nodes if n.startswith("leaf")}
    assert (ids["MatMulBackward"], leaf_of["w"]) in pairs and (ids["AddBackward"], leaf_of["b"])


def test_fan_out_gets_a_sum_node_in_the_backward_picture():
    x = ag.tensor([1.0, 2.0], requires_grad=True, name="x")
    h = x.exp()
    loss = (h * h + h).sum()  # h has three uses, x one
    nodes, edges = parse(viz.to_dot(loss))
    sums = [n for n, attrs in nodes.items() if attrs["label"] == "+"]
    assert len(sums) == 1, nodes
    exp = next(n for n, attrs in nodes.items() if attrs["label"].startswith("ExpBackward"))
    into_sum = [tail for tail, head, _ in edges if head == sums[0]]
    assert len(into_sum) == 3 and [h for t, h, _ in edges if t == sums[0]] == [exp]
    assert "3 gradients" in nodes[sums[0]]["tooltip"]
    forward, forward_edges = parse(viz.to_dot(loss, mode="forward"))
    assert not any(attrs["label"] == "+" for attrs in forward.values())
    exp_out = next(n for n, a in forward.items() if a["label"] == "Exp") + "_out0"
    assert len([t for t, h, _ in forward_edges if t == exp_out]) == 3


def test_both_mode_has_two_clusters_and_links_each_op_to_its_vjp():
    loss, w, b = small_graph()
    source = viz.to_dot(loss, mode="both")
    assert "subgraph cluster_forward {" in source and "subgraph cluster_backward {" in source
    nodes, edges = parse(source)
    links = [(t, h) for t, h, attrs in edges if attrs.get("style") == "dashed"
             and t.startswith("fw_op") and h.startswith("bw_op")]
    assert sorted(links) == sorted((f"fw_op{i}", f"bw_op{i}") for i in range(5))
    assert nodes["fw_op0"]["label"] == "Sum" and nodes["bw_op0"]["label"].startswith("SumBack")
    # the backward side is laid out like the forward one, with its arrowheads turned round
    assert ("bw_op1", "bw_op0", {"dir": "back"}) in edges


def test_multi_output_ops_label_their_outputs():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    a, b = Two.apply(x)
    loss = (a * b + b).sum()
    nodes, edges = parse(viz.to_dot(loss))
    two = next(n for n, attrs in nodes.items() if attrs["label"].startswith("TwoBackward"))
    assert nodes[two]["label"].endswith("(2,) float64 | (2,) float64")
    assert [attrs["label"] for t, h, attrs in edges if h == two] == ["output 1", "output 0"]
    forward, _ = parse(viz.to_dot(loss, mode="forward"))
    assert {two + "_out0", two + "_out1"} <= set(forward)


def test_max_nodes_collapses_the_rest_into_one_note():
    x = ag.tensor([0.5], requires_grad=True)
    y = x
    for _ in range(30):
        y = y.sin()
    loss = y.sum()  # 31 ops and 1 leaf
    nodes, edges = parse(viz.to_dot(loss, max_nodes=5))
    assert len([n for n in nodes if n.startswith(("op", "leaf"))]) == 5
    assert nodes["more"]["label"] == "… 27 more nodes"
    assert [(t, h) for t, h, _ in edges if h == "more"] == [("op4", "more")]
    forward, forward_edges = parse(viz.to_dot(loss, mode="forward", max_nodes=5))
    assert forward["more"]["label"] == "… 27 more nodes"
    assert ("more", "op4") in {(t, h) for t, h, _ in forward_edges}
    assert "more" not in parse(viz.to_dot(loss, max_nodes=32))[0]
    with pytest.raises(ValueError, match="max_nodes"):
        viz.to_dot(loss, max_nodes=0)


def test_clusters_group_parameters_and_their_ops_by_module():
    loss, w, b = small_graph()
    owners = {id(w): "encoder.fc1", id(b): "encoder.fc1"}
    source = viz.to_dot(loss, mode="forward", clusters=owners)
    block = source.split('subgraph "cluster__encoder.fc1" {')[1].split("}")[0]
    assert 'label="encoder.fc1"' in block
    names = re.findall(r'label="(\w+)', block)
    assert sorted(names) == ["Add", "MatMul", "b", "constant", "encoder", "w"], names
    by_prefix = viz.to_dot(loss, params={"fc1.weight": w, "fc1.bias": b}, clusters={"fc1": "fc1"})
    assert 'subgraph "cluster__fc1" {' in by_prefix
    assert "cluster" not in viz.to_dot(loss, clusters={id(w): ""})  # the root module


def test_to_dot_rejects_bad_arguments():
    with pytest.raises(TypeError, match="Tensor"):
        viz.to_dot(np.ones(2))
    with pytest.raises(ValueError, match="mode"):
        viz.to_dot(ag.tensor(1.0), mode="sideways")
    with pytest.raises(TypeError, match="params must be a dict"):
        viz.to_dot(ag.tensor(1.0), params=["w"])
    with pytest.raises(TypeError, match="clusters must be a dict"):
        viz.draw_graph(ag.tensor(1.0), clusters="fc1")
    with pytest.raises(TypeError, match="Tensor"):
        viz.trace_backward([1.0])


# -- rendering ------------------------------------------------------------------------------------
def test_rendered_svg_parses_and_names_the_ops(graphviz_dot, tmp_path):
    loss, w, b = small_graph()
    loss.backward(retain_graph=True)
    for mode in viz.dot.MODES:
        path = viz.draw_graph(loss, mode=mode).render(tmp_path / mode, format="svg")
        text = " ".join(ElementTree.parse(path).getroot().itertext())
        ops = ["Sum", "Mul", "Tanh", "Add", "MatMul"]
        names = [op + "Backward" for op in ops] if mode == "backward" else ops
        assert all(name in text for name in names), (mode, text)
    bundle = viz.draw_graph(loss)._repr_mimebundle_()
    ElementTree.fromstring(bundle["image/svg+xml"])
    assert viz.draw_graph(loss).pipe(format="png").startswith(b"\x89PNG")


def test_without_dot_rendering_says_how_to_install_graphviz(monkeypatch, tmp_path):
    loss, w, b = small_graph()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no `dot` anywhere on PATH
    picture = viz.draw_graph(loss, mode="both")  # building needs no Graphviz program
    assert "MatMul" in picture.source and "MatMul" in viz.to_dot(loss)
    for render in (lambda: picture.render(tmp_path / "graph", format="svg"),
                   lambda: picture.pipe(format="svg"),
                   lambda: picture._repr_mimebundle_()):
        with pytest.raises(viz.GraphvizNotFoundError) as caught:
            render()
        message = str(caught.value)
        for hint in ("apt-get install graphviz", "brew install graphviz",
                     "conda install -c conda-forge graphviz", "to_dot"):
            assert hint in message, message
    assert issubclass(viz.GraphvizNotFoundError, RuntimeError)


# -- the backward trace ---------------------------------------------------------------------------
def test_trace_runs_in_engine_order_and_matches_backward():
    loss, w, b = small_graph(seed=1)
    trace = viz.trace_backward(loss)
    reference, w_ref, b_ref = small_graph(seed=1)
    visited = []
    previous = engine.set_step_hook(lambda node, g_out, g_in: visited.append(node.name))
    try:
        reference.backward()
    finally:
        engine.set_step_hook(previous)
    assert [step.op for step in trace] == visited == ["Sum", "Mul", "Tanh", "Add", "MatMul"]
    assert [step.index for step in trace] == [1, 2, 3, 4, 5]
    for mine, theirs in ((w, w_ref), (b, b_ref)):
        np.testing.assert_allclose(trace.leaf_grads[mine], theirs.grad.data, rtol=0, atol=1e-12)
        np.testing.assert_allclose(mine.grad.data, theirs.grad.data, rtol=0, atol=1e-12)
    add = trace[3]
    assert add.grad_output.shape == (4, 2) and add.grad_inputs[1].shape == (2,)  # summed back
    np.testing.assert_allclose(add.grad_inputs[1], b_ref.grad.data, atol=1e-12)
    assert trace[4].grad_inputs[0] is None  # x needs no gradient
    assert trace[0].grad_output.shape == () and trace[0].grad_output == 1.0


def test_trace_steps_match_the_numbers_in_the_picture():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    loss = (h * h + h * x).sum()
    nodes, _ = parse(viz.to_dot(loss))
    pictured = {}
    for attrs in nodes.values():
        lines = attrs["label"].split("\n")
        if lines[0].endswith("Backward"):
            pictured[int(lines[1].split()[1])] = lines[0][: -len("Backward")]
        elif lines[0] == "+":
            pictured[int(attrs["xlabel"].split()[1])] = "accumulate"
    trace = viz.trace_backward(loss)
    assert pictured == {step.index: step.op for step in trace}


def test_fan_out_shows_accumulate_steps():
    x = ag.tensor([1.0, 2.0], requires_grad=True, name="x")
    h = x.exp()
    loss = (h * h + h).sum() + x.sum()
    trace = viz.trace_backward(loss)
    ops = [step.op for step in trace]
    assert ops == ["Add", "Sum", "Sum", "Add", "Mul", "accumulate", "Exp", "accumulate"], ops
    inner = trace[5]
    assert len(inner.grad_output) == 3 and inner.node is h.grad_fn
    np.testing.assert_allclose(inner.grad_inputs[0], sum(inner.grad_output))
    np.testing.assert_allclose(inner.grad_inputs[0], trace[6].grad_output)  # what Exp received
    leaf = trace[7]
    assert leaf.key is x and len(leaf.grad_output) == 2
    np.testing.assert_allclose(leaf.grad_inputs[0], x.grad.data)
    np.testing.assert_allclose(x.grad.data, 2 * np.exp(2 * x.data) + np.exp(x.data) + 1)
    assert leaf.sources == ("Sum (step 2)", "Exp (step 7)")


def test_trace_of_a_multi_output_op_and_of_a_leaf():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    a, b = Two.apply(x)
    trace = viz.trace_backward((a * b + b).sum())
    two = trace[-1]
    assert two.op == "Two" and isinstance(two.grad_output, tuple) and len(two.grad_output) == 2
    np.testing.assert_allclose(two.grad_output[1], 2 * x.data + 1)  # d/db of a*b + b
    np.testing.assert_allclose(trace.leaf_grads[x], x.grad.data)
    leaf = ag.tensor(3.0, requires_grad=True)
    trace = viz.trace_backward(leaf)
    assert list(trace) == [] and trace.leaf_grads[leaf] == 1.0 and leaf.grad.item() == 1.0


def test_trace_accumulates_grad_like_backward_and_can_retain_the_graph():
    loss, w, b = small_graph()
    first = viz.trace_backward(loss, retain_graph=True)
    viz.trace_backward(loss, grad=ag.tensor(2.0))
    np.testing.assert_allclose(w.grad.data, 3 * first.leaf_grads[w], atol=1e-12)
    with pytest.raises(RuntimeError, match="second time"):
        viz.trace_backward(loss)


def test_trace_restores_and_chains_the_previous_step_hook():
    seen = []
    previous = engine.set_step_hook(lambda node, g_out, g_in: seen.append(node.name))
    try:
        loss, w, b = small_graph()
        viz.trace_backward(loss)
        assert seen == ["Sum", "Mul", "Tanh", "Add", "MatMul"]
        with pytest.raises(RuntimeError):
            viz.trace_backward(loss)  # the graph was freed: the hook must still come back
        restored = engine.set_step_hook(None)
        engine.set_step_hook(restored)
        assert restored is not None and restored.__name__ == "<lambda>"
    finally:
        engine.set_step_hook(previous)


def test_steps_and_the_trace_print_readably():
    loss, w, b = small_graph()
    trace = viz.trace_backward(loss)
    assert str(trace[0]) == "step 1: Sum  grad_output () 1.0  ->  grad_inputs ((4, 2) norm 2.828)"
    table = str(trace).splitlines()
    assert table[0].split() == ["step", "op", "grad_output", "grad_inputs"]
    assert [line.split()[1] for line in table[1:]] == ["Sum", "Mul", "Tanh", "Add", "MatMul"]
    assert "(2,) [" in table[4] and "None" in table[5]
    x = ag.tensor([1.0], requires_grad=True, name="x")
    step = viz.trace_backward((x * x).sum())[-1]
    assert str(step) == ("step 3: accumulate into leaf 'x' from Mul (step 2), Mul (step 2): "
                         "(1,) [1.0] + (1,) [1.0] = (1,) [2.0]")


# -- frames ---------------------------------------------------------------------------------------
def test_frames_highlight_the_current_step():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    trace = viz.trace_backward((h * h).sum())
    assert [step.op for step in trace] == ["Sum", "Mul", "accumulate", "Exp"]
    for k, step in enumerate(trace, start=1):
        nodes, edges = parse(trace.frame(k).source)
        current = [n for n, attrs in nodes.items() if attrs.get("fillcolor") == "gold"]
        done = [n for n, attrs in nodes.items() if attrs.get("fillcolor") == "palegreen"]
        assert len(current) == 1 and len(done) == k - 1, (k, current, done)
        label = nodes[current[0]]["label"]
        assert label == "+" if step.op == "accumulate" else label.startswith(step.op + "Back")
        sent = [attrs["label"] for t, h, attrs in edges if attrs.get("color") == "darkgreen"]
        assert len(sent) == [1, 3, 4, 5][k - 1], (k, sent)
    with pytest.raises(IndexError):
        trace.frame(0)


def test_render_frames_writes_one_picture_per_step(graphviz_dot, tmp_path):
    loss, w, b = small_graph()
    trace = viz.trace_backward(loss)
    paths = trace.render_frames(tmp_path / "frames", format="svg")
    assert [os.path.basename(p) for p in paths] == [f"step_{k}.svg" for k in range(1, 6)]
    for path in paths:
        ElementTree.parse(path)
