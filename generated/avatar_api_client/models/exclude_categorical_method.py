from enum import StrEnum


class ExcludeCategoricalMethod(StrEnum):
    COORDINATE_SIMILARITY = "coordinate_similarity"
    ROW_ORDER = "row_order"
    coordinate_similarity = (
        "coordinate_similarity"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    row_order = "row_order"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
