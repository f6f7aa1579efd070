# A lightly disguised copy of inventory.py: renamed, reformatted, reordered.


class Stock:
    def __init__(self):
        self.entries = {}

    def put(self, label, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.entries[label] = self.entries.get(label, 0) + amount

    def take(self, label, amount):
        current = self.entries.get(label, 0)
        if current < amount:
            return False
        elif current == amount:
            del self.entries[label]
        else:
            self.entries[label] = current - amount
        return True


def shortage_list(stock, threshold):
    short = []
    for label, amount in sorted(stock.entries.items()):
        if amount < threshold and not label.startswith("_"):
            short.append(label)
    return short
