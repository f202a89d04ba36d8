from enum import StrEnum


class ColumnType(StrEnum):
    BOOL = "bool"
    CATEGORY = "category"
    DATETIME = "datetime"
    FLOAT = "float"
    INT = "int"
    bool = "bool"  # 0.7.x spelling (ImputeMethod.knn), an alias
    category = "category"  # 0.7.x spelling (ImputeMethod.knn), an alias
    datetime = "datetime"  # 0.7.x spelling (ImputeMethod.knn), an alias
    float = "float"  # 0.7.x spelling (ImputeMethod.knn), an alias
    int = "int"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
