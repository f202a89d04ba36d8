from enum import StrEnum


class LinkMethod(StrEnum):
    BOTTOM_PROJECTION = "bottom_projection"
    LINEAR_SUM_ASSIGNEMENT = "linear_sum_assignement"
    bottom_projection = (
        "bottom_projection"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    linear_sum_assignement = (
        "linear_sum_assignement"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )

    def __str__(self) -> str:
        return str(self.value)
