"""Containers: Sequential (a chain), ModuleList (an indexable list), Identity (a no-op)."""

from collections import OrderedDict

from ..module import Module


class Sequential(Module):
    """Apply modules one after another; they are named '0', '1', ... (or by an OrderedDict).

    >>> net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    >>> net(ag.randn(4, 2)).shape                 # (4, 1)
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(modules):
                self.add_module(str(index), module)

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        modules = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(modules[index]))
        return modules[_position(index, len(modules), "Sequential")][1]

    def append(self, module):
        """Add a module at the end.  >>> net.append(nn.Sigmoid())"""
        self.add_module(str(len(self)), module)
        return self


class ModuleList(Module):
    """A list of modules whose parameters are registered (a plain list's would be invisible).

    >>> blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
    >>> len(list(blocks.parameters()))            # 6
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _renumber(self, modules):
        self._modules.clear()
        for index, module in enumerate(modules):
            self.add_module(str(index), module)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(modules[index])
        return modules[_position(index, len(modules), "ModuleList")]

    def __setitem__(self, index, module):
        modules = list(self._modules.values())
        modules[_position(index, len(modules), "ModuleList")] = _module(module)
        self._renumber(modules)

    def __delitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            del modules[index]
        else:
            del modules[_position(index, len(modules), "ModuleList")]
        self._renumber(modules)

    def __iadd__(self, modules):
        return self.extend(modules)

    def append(self, module):
        """Add a module at the end.  >>> blocks.append(nn.ReLU())"""
        self.add_module(str(len(self)), _module(module))
        return self

    def extend(self, modules):
        """Add several modules at the end.  >>> blocks.extend([nn.ReLU(), nn.Tanh()])"""
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        """Insert a module before `index`.  >>> blocks.insert(0, nn.Identity())"""
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"ModuleList.insert: index must be an int, got {index!r}")
        modules = list(self._modules.values())
        # list.insert clamps out-of-range positions; clamping first keeps huge ints legal too.
        modules.insert(max(-len(modules) - 1, min(index, len(modules))), _module(module))
        self._renumber(modules)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            "ModuleList has no forward(); iterate over it in your module's forward instead"
        )


class Identity(Module):
    """Return the input unchanged (a placeholder, e.g. to remove a layer).

    >>> nn.Identity()(x) is x                      # True
    """

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


def _position(index, length, where):
    if not isinstance(index, int) or isinstance(index, bool):
        raise TypeError(f"{where} indices must be ints or slices, got {type(index).__name__}")
    if not -length <= index < length:
        raise IndexError(f"{where} index {index} is out of range for {length} modules")
    return index % length


def _module(module):
    if not isinstance(module, Module):
        raise TypeError(f"ModuleList holds nn.Module objects, got {type(module).__name__}")
    return module
