import type { enSubjects } from './en-subjects.ts';

/** Korean of `mainErrors.label.*` and `mainErrors.where.*`; part of `ko-errors.ts`. */
export const koSubjects: typeof enSubjects = {
  label: {
    environment: '환경 "{labelName}"',
    context: '컨텍스트 "{labelName}"',
  },
  where: {
    socket: '소켓 {wherePath}',
    dockerDaemon: '{wherePath}의 Docker 데몬',
    engineSocket: '엔진 소켓 {wherePath}',
    engineSocketOn: '{whereHost}의 엔진 소켓 {wherePath}',
  },
};
