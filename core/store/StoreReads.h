#pragma once

#include "store/JobStore.h"

#include <optional>

class QSqlDatabase;

/// The store's read queries and small updates, run on the store thread's connection.
/// Each returns nullopt (or false) and sets `error` to the driver's text on failure.
namespace StoreReads {

std::optional<StoreSnapshot> snapshot(QSqlDatabase &db, QString *error);
std::optional<QList<SwitchRecord>> switchHistory(QSqlDatabase &db, const QString &jobId,
                                                 qint64 beforeId, int limit, QString *error);
std::optional<QHash<QString, QString>> jobBackends(QSqlDatabase &db, QString *error);
bool setBackendState(QSqlDatabase &db, const QString &backendId, const QString &state,
                     QString *error);

} // namespace StoreReads
