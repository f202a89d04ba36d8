from enum import StrEnum


class SignalPosition(StrEnum):
    END = "end"
    MIDDLE = "middle"
    START = "start"
    end = "end"  # 0.7.x spelling (ImputeMethod.knn), an alias
    middle = "middle"  # 0.7.x spelling (ImputeMethod.knn), an alias
    start = "start"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
