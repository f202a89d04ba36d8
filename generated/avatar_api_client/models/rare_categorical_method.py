from enum import StrEnum


class RareCategoricalMethod(StrEnum):
    MISSING = "missing"
    MOST_SIMILAR = "most_similar"
    PROBABILISTIC = "probabilistic"
    missing = "missing"  # 0.7.x spelling (ImputeMethod.knn), an alias
    most_similar = "most_similar"  # 0.7.x spelling (ImputeMethod.knn), an alias
    probabilistic = "probabilistic"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
