"""A tiny stock ledger used to demonstrate Code Origin's structure summary."""


class Inventory:
    def __init__(self):
        self.items = {}

    def add(self, name, quantity):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.items[name] = self.items.get(name, 0) + quantity

    def remove(self, name, quantity):
        held = self.items.get(name, 0)
        if held < quantity:
            return False
        elif held == quantity:
            del self.items[name]
        else:
            self.items[name] = held - quantity
        return True


def restock_report(inventory, minimum):
    low = []
    for name, quantity in sorted(inventory.items.items()):
        if quantity < minimum and not name.startswith("_"):
            low.append(name)
    return low
