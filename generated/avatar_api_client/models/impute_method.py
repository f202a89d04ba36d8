from enum import StrEnum


class ImputeMethod(StrEnum):
    FAST_KNN = "fast_knn"
    KNN = "knn"
    MEAN = "mean"
    MEDIAN = "median"
    MODE = "mode"
    fast_knn = "fast_knn"  # 0.7.x spelling (ImputeMethod.knn), an alias
    knn = "knn"  # 0.7.x spelling (ImputeMethod.knn), an alias
    mean = "mean"  # 0.7.x spelling (ImputeMethod.knn), an alias
    median = "median"  # 0.7.x spelling (ImputeMethod.knn), an alias
    mode = "mode"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
