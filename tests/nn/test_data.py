"""nn.data: TensorDataset and DataLoader (batches, shuffling, drop_last, collation, errors)."""

import numpy as np
import pytest

import autograd_core as ag
from nn.data import DataLoader, TensorDataset, collate


def make_dataset(n=10):
    x = ag.tensor(np.arange(n * 3, dtype=np.float64).reshape(n, 3))
    y = ag.tensor(np.arange(n) % 4)
    return TensorDataset(x, y)


def epoch_rows(loader):
    """The first feature of x divided by 3 recovers each sample's index."""
    batches = list(loader)
    indices = np.concatenate([xb.data[:, 0] / 3 for xb, _ in batches]).astype(int)
    return batches, indices


# -- TensorDataset ------------------------------------------------------------------------------
def test_tensor_dataset_len_and_items():
    dataset = make_dataset(10)
    assert len(dataset) == 10
    x, y = dataset[3]
    assert isinstance(x, ag.Tensor) and isinstance(y, ag.Tensor)
    assert x.tolist() == [9.0, 10.0, 11.0] and y.item() == 3
    assert y.dtype == np.int64


def test_tensor_dataset_accepts_arrays_and_keeps_dtypes():
    dataset = TensorDataset(np.zeros((5, 2), np.float32), np.arange(5))
    x, y = dataset[np.array([0, 4])]
    assert x.shape == (2, 2) and x.dtype == np.float32
    assert y.tolist() == [0, 4] and y.dtype == np.int64


def test_tensor_dataset_size_mismatch_names_the_sizes():
    with pytest.raises(ValueError, match=r"same first dimension.*\[5, 4\]"):
        TensorDataset(ag.zeros(5, 2), ag.zeros(4))


@pytest.mark.parametrize("args, error", [((), ValueError), ((ag.tensor(1.0),), ValueError),
                                         (([1, 2],), TypeError)])
def test_tensor_dataset_rejects_bad_arguments(args, error):
    with pytest.raises(error, match="TensorDataset"):
        TensorDataset(*args)


# -- DataLoader: batches ------------------------------------------------------------------------
@pytest.mark.parametrize("n, batch_size, drop_last, sizes", [
    (10, 3, False, [3, 3, 3, 1]),
    (10, 3, True, [3, 3, 3]),
    (10, 5, False, [5, 5]),
    (10, 5, True, [5, 5]),
    (10, 1, False, [1] * 10),
    (10, 32, False, [10]),
    (10, 32, True, []),
    (0, 4, False, []),
])
def test_batch_sizes_and_len(n, batch_size, drop_last, sizes):
    loader = DataLoader(make_dataset(n), batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == len(sizes)
    assert [len(xb) for xb, _ in loader] == sizes


def test_batches_are_tuples_of_stacked_tensors_in_order_without_shuffle():
    loader = DataLoader(make_dataset(10), batch_size=4)
    batches, rows = epoch_rows(loader)
    xb, yb = batches[0]
    assert isinstance(batches[0], tuple)
    assert xb.shape == (4, 3) and yb.shape == (4,) and yb.dtype == np.int64
    assert not xb.requires_grad
    assert rows.tolist() == list(range(10))


def test_default_batch_size_is_one():
    loader = DataLoader(make_dataset(3))
    assert len(loader) == 3
    assert [xb.shape for xb, _ in loader] == [(1, 3)] * 3


# -- DataLoader: shuffling ----------------------------------------------------------------------
@pytest.mark.parametrize("batch_size", [1, 3, 4, 10])
def test_shuffle_visits_every_sample_exactly_once_per_epoch(batch_size):
    loader = DataLoader(make_dataset(10), batch_size=batch_size, shuffle=True)
    for _ in range(3):
        _, rows = epoch_rows(loader)
        assert sorted(rows.tolist()) == list(range(10))


def test_shuffle_with_drop_last_leaves_out_only_the_short_batch():
    loader = DataLoader(make_dataset(10), batch_size=4, shuffle=True, drop_last=True)
    batches, rows = epoch_rows(loader)
    assert [len(xb) for xb, _ in batches] == [4, 4]
    assert len(set(rows.tolist())) == 8


def test_shuffle_keeps_inputs_and_labels_aligned():
    loader = DataLoader(make_dataset(20), batch_size=6, shuffle=True)
    for xb, yb in loader:
        assert np.array_equal((xb.data[:, 0] / 3).astype(int) % 4, yb.data)


def test_shuffle_differs_across_epochs():
    loader = DataLoader(make_dataset(50), batch_size=7, shuffle=True)
    orders = [epoch_rows(loader)[1].tolist() for _ in range(3)]
    assert orders[0] != orders[1] and orders[1] != orders[2]
    assert orders[0] != list(range(50))


def test_shuffle_is_reproducible_from_manual_seed():
    loader = DataLoader(make_dataset(30), batch_size=4, shuffle=True)
    ag.manual_seed(123)
    first = [epoch_rows(loader)[1].tolist() for _ in range(2)]
    ag.manual_seed(123)
    second = [epoch_rows(loader)[1].tolist() for _ in range(2)]
    assert first == second


def test_the_order_is_fixed_when_iter_is_called():
    """Drawing at iter() (not at the first next()) means the epoch order does not depend on
    random draws made between creating the iterator and reading it."""
    loader = DataLoader(make_dataset(30), batch_size=30, shuffle=True)
    ag.manual_seed(5)
    iterator = iter(loader)
    ag.randn(100)
    (xb, _), = list(iterator)
    ag.manual_seed(5)
    (expected, _), = list(loader)
    assert np.array_equal(xb.data, expected.data)


def test_tensor_dataset_is_read_one_batch_at_a_time(monkeypatch):
    """No per-sample loop: one index array per batch."""
    calls = []
    original = TensorDataset.__getitem__

    def counting(self, index):
        calls.append(np.shape(index))
        return original(self, index)

    monkeypatch.setattr(TensorDataset, "__getitem__", counting)
    list(DataLoader(make_dataset(10), batch_size=4, shuffle=True))
    assert calls == [(4,), (4,), (2,)]


def test_a_subclass_with_its_own_getitem_is_read_per_sample():
    class Doubled(TensorDataset):
        def __getitem__(self, i):
            x, y = super().__getitem__(i)
            return x * 2, y

    xb, yb = next(iter(DataLoader(Doubled(*make_dataset(4).tensors), batch_size=4)))
    assert xb.shape == (4, 3) and xb.data[1].tolist() == [6.0, 8.0, 10.0]


# -- DataLoader: any map-style data set ---------------------------------------------------------
class Squares:
    """A map-style data set: (x, x^2, label) with Python and NumPy values."""

    def __init__(self, n):
        self.n = n
        self.reads = 0

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        self.reads += 1
        return np.array([float(i), float(i) ** 2]), float(i) / 2, int(i % 3)


def test_map_style_dataset_is_collated_into_tensors():
    dataset = Squares(7)
    loader = DataLoader(dataset, batch_size=3, shuffle=True)
    batches = list(loader)
    assert dataset.reads == 7
    assert [len(b[0]) for b in batches] == [3, 3, 1]
    features, halves, labels = batches[0]
    assert features.shape == (3, 2) and features.dtype == np.float64
    assert halves.dtype == ag.get_default_dtype() and labels.dtype == np.int64
    seen = np.concatenate([b[0].data[:, 0] for b in batches])
    assert sorted(seen.tolist()) == list(range(7))
    assert np.array_equal(features.data[:, 1], features.data[:, 0] ** 2)


def test_collate_single_values_and_dicts():
    assert collate([1, 2, 3]).tolist() == [1, 2, 3]
    assert collate([True, False]).dtype == np.bool_
    batch = collate([{"x": ag.tensor([1.0]), "y": 0}, {"x": ag.tensor([2.0]), "y": 1}])
    assert batch["x"].shape == (2, 1) and batch["y"].tolist() == [0, 1]


def test_collate_keeps_history_of_samples_that_require_grad():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    batch = collate([w * 2, w * 3])
    batch.sum().backward()
    assert w.grad.tolist() == [5.0, 5.0]


def test_collate_rejects_ragged_samples():
    with pytest.raises(ValueError, match="different numbers of parts"):
        collate([(1, 2), (3,)])
    with pytest.raises(TypeError, match="cannot stack"):
        collate(["a", object()])


# -- DataLoader: errors -------------------------------------------------------------------------
@pytest.mark.parametrize("batch_size", [0, -1, 2.0, "4", True, None])
def test_bad_batch_size_raises_naming_it(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(make_dataset(4), batch_size=batch_size)


def test_dataset_must_be_map_style():
    with pytest.raises(TypeError, match="map-style"):
        DataLoader(iter(range(3)), batch_size=2)


def test_repr_names_the_options():
    text = repr(DataLoader(make_dataset(4), batch_size=2, shuffle=True))
    assert "batch_size=2" in text and "shuffle=True" in text and "TensorDataset" in text
