/**
 * The cutover engine: the move state machine and its journal ({@code journal}), the steps that drive routers
 * and the data engine ({@code move}), the rollback line ({@code rollback}), and the controller with its admin
 * API and audit log ({@code control}).
 */
package dev.hikkoshi.cutover;
