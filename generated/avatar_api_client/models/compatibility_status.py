from enum import StrEnum


class CompatibilityStatus(StrEnum):
    COMPATIBLE = "compatible"
    INCOMPATIBLE = "incompatible"
    UNKNOWN = "unknown"
    compatible = "compatible"  # 0.7.x spelling (ImputeMethod.knn), an alias
    incompatible = "incompatible"  # 0.7.x spelling (ImputeMethod.knn), an alias
    unknown = "unknown"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
