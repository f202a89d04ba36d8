from enum import StrEnum


class AnalysisStatus(StrEnum):
    DONE = "done"
    STARTED = "started"
    done = "done"  # 0.7.x spelling (ImputeMethod.knn), an alias
    started = "started"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
