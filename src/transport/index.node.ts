// Node-only transports (net, tls, ws). Never imported by the browser entry.
export {};
