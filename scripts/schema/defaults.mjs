// Values kube-apiserver 1.32 fills in when a field is left out (its SetDefaults_* functions), for the
// field index only: hovers show them as "Default: ...". The OpenAPI v3 documents do not carry these
// (kube-apiserver's do not either). Keyed by definition and property, like ./enums.mjs.
const CORE = 'io.k8s.api.core.v1.';

export const API_DEFAULTS = {
  [`${CORE}PodSpec`]: {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
    enableServiceLinks: true,
  },
  [`${CORE}Container`]: { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
  [`${CORE}ContainerPort`]: { protocol: 'TCP' },
  [`${CORE}ServicePort`]: { protocol: 'TCP' },
  [`${CORE}ServiceSpec`]: { type: 'ClusterIP', sessionAffinity: 'None' },
  [`${CORE}Toleration`]: { operator: 'Equal' },
  [`${CORE}Probe`]: { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
  [`${CORE}HTTPGetAction`]: { scheme: 'HTTP' },
};
