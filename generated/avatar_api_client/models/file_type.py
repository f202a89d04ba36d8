from enum import StrEnum


class FileType(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    csv = "csv"  # 0.7.x spelling (ImputeMethod.knn), an alias
    parquet = "parquet"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
